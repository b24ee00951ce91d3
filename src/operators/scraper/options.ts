/** Options of ViralScraperOperator, read from `config.scrape` and the profile. */
import type { AppConfig } from '../../config/schema.ts';

export interface ScraperOptions {
  /** Accounts scraped at once. Default 8; 1 in the naive profile. */
  concurrency: number;
  /** Pages per account per run unless the account sets its own `maxPages`. Default 10. */
  maxPages: number;
}

/** Derives the scraper's options from the validated config. */
export function scraperOptions(config: AppConfig): ScraperOptions {
  return {
    concurrency: config.profile === 'naive' ? 1 : config.scrape.concurrency,
    maxPages: config.scrape.maxPages,
  };
}
