/**
 * Which family a sample name belongs to: its own family, or a parent whose type gives the name
 * its suffix (`x_bucket` of histogram `x`). The last few answers are remembered and dropped
 * when a new family or TYPE could change them.
 * @internal
 */
import type { MetricFamily } from './prometheus.ts';
import { hasSampleRules, isChildSuffix, type ExpositionFormat } from './prometheus-rules.ts';

/** Sample names remembered (see `resolve`). */
const RECENT_NAMES = 4;

/** The family a sample name belongs to, its suffix there, and whether its type has rules. */
export interface Resolved {
  /** The sample name resolved. */
  name: string;
  family: MetricFamily;
  suffix: string;
  hasRules: boolean;
  /** The #generation it was resolved in; older answers are stale. */
  generation: number;
}

/** The families of one parse and the lookup of sample names. */
export class FamilyIndex {
  readonly #format: ExpositionFormat;
  readonly #families = new Map<string, MetricFamily>();
  readonly #recent: Resolved[] = [];
  #last: Resolved | null = null;
  #recentNext = 0;
  #generation = 0;

  constructor(format: ExpositionFormat) {
    this.#format = format;
  }

  /** Every family, in the order first seen. */
  all(): MetricFamily[] {
    return [...this.#families.values()];
  }

  /** The family a sample belongs to: its own name first, then a parent by suffix and type. */
  resolve(name: string): Resolved {
    // The last few names first: a histogram's series cycle through _bucket, _sum and _count, and
    // comparing a handful of strings costs less than hashing a fresh one for the family map.
    const last = this.#last;
    if (last !== null && last.name === name && last.generation === this.#generation) return last;
    const recent = this.#recent;
    for (let k = 0; k < recent.length; k += 1) {
      const entry = recent[k] as Resolved;
      if (entry.name === name && entry.generation === this.#generation) {
        this.#last = entry;
        return entry;
      }
    }

    // No map of every name: a scrape mostly declares each name once, and two lookups of the
    // families (own name, then parent) cost no more than a lookup plus an insert in a memo.
    const known = this.#resolve(name);
    this.#last = known;
    recent[this.#recentNext] = known;
    this.#recentNext = (this.#recentNext + 1) % RECENT_NAMES;
    return known;
  }

  #resolve(name: string): Resolved {
    const own = this.#families.get(name);
    let found = own === undefined ? undefined : this.#resolved(name, own, '');

    // Every suffix is one `_word` segment, so only the last underscore can start one.
    const cut = name.lastIndexOf('_');
    const parent =
      found === undefined && cut > 0 ? this.#families.get(name.slice(0, cut)) : undefined;
    if (parent !== undefined) {
      const suffix = name.slice(cut);
      if (isChildSuffix(parent.type, suffix)) found = this.#resolved(name, parent, suffix);
    }

    found ??= this.#resolved(name, this.family(name), '');
    return found;
  }

  // A method rather than a closure in #resolve: tsx (esbuild keepNames) wraps every closure in a
  // naming call each time it is created, which showed in the parser's profile.
  #resolved(name: string, family: MetricFamily, suffix: string): Resolved {
    return {
      name,
      family,
      suffix,
      hasRules: hasSampleRules(family.type, this.#format),
      generation: this.#generation,
    };
  }

  /**
   * A new family or a new TYPE can change where sample names belong. Bumping the generation
   * makes every remembered answer stale at once, without clearing (and reallocating) the map.
   */
  typeChanged(): void {
    this.#generation += 1;
  }

  family(name: string): MetricFamily {
    let family = this.#families.get(name);
    if (family === undefined) {
      family = { name, type: 'untyped', help: null, unit: null, samples: [] };
      this.#families.set(name, family);
      // A new family can be the own-name family of a sample name resolved to a parent before.
      this.typeChanged();
    }
    return family;
  }
}
