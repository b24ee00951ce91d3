export {
  createScraperOperator,
  type ScrapeOutput,
  type AccountScrape,
  type AccountStatus,
  type ScraperDeps,
} from './scraper.ts';
export { scraperOptions, type ScraperOptions } from './options.ts';
