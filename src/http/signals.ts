/**
 * @internal One abort listener per caller signal, however many requests share it.
 *
 * A task hands its one signal to every request it makes: a scrape at concurrency 20, or a
 * Mastodon instance without the batch endpoint looked up one status at a time, has dozens of
 * requests in flight on it. A listener per request passes Node's leak warning (10 per signal)
 * and makes an abort walk them all anyway; here the first request on a signal adds the one
 * listener, the others join a set, and the last to finish removes it.
 */

/** What a watched request does when its caller's signal aborts. */
export interface AbortTarget {
  handleEvent(): void;
}

interface Watched {
  targets: Set<AbortTarget>;
  listener: () => void;
}

/** @internal Fans one abort listener per signal out to the requests registered under it. */
export class AbortFanout {
  readonly #watched = new WeakMap<AbortSignal, Watched>();

  /** Calls `target.handleEvent()` once `signal` aborts, until `delete`. */
  add(signal: AbortSignal, target: AbortTarget): void {
    let watched = this.#watched.get(signal);
    if (watched === undefined) {
      const targets = new Set<AbortTarget>();
      const listener = (): void => {
        this.#watched.delete(signal);
        for (const each of targets) each.handleEvent();
      };
      watched = { targets, listener };
      this.#watched.set(signal, watched);
      signal.addEventListener('abort', listener, { once: true });
    }
    watched.targets.add(target);
  }

  /** Stops watching for `target`; the listener goes with the signal's last target. */
  delete(signal: AbortSignal, target: AbortTarget): void {
    const watched = this.#watched.get(signal);
    if (watched === undefined) return;
    watched.targets.delete(target);
    if (watched.targets.size > 0) return;

    this.#watched.delete(signal);
    signal.removeEventListener('abort', watched.listener);
  }
}
