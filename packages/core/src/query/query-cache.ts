import type { Clock } from '../dependencies/clock.js';
import { attempt, type Fetcher, type Outcome } from './attempt.js';
import { hashQueryKey, startsWithKey, type QueryKey } from './query-key.js';

/** How long an unused entry stays in the cache by default (TanStack's gcTime default). */
export const DEFAULT_CACHE_TIME = 5 * 60_000;

export interface CachedQuery<T> {
  readonly key: QueryKey;
  readonly data: T;
  /** `clock.now()` of the cache that fetched it, when the answer arrived. */
  readonly updatedAt: number;
}

/** Successful entries as plain JSON: what the server hands the browser. */
export type QuerySnapshot = readonly CachedQuery<unknown>[];

export type QueryFreshness = 'fresh' | 'stale' | 'absent';

interface Flight {
  readonly promise: Promise<Outcome<unknown> & { readonly updatedAt: number }>;
  readonly controller: AbortController;
  waiters: number;
}

interface Entry {
  readonly key: QueryKey;
  data?: { readonly value: unknown; readonly updatedAt: number };
  invalidated: boolean;
  flight?: Flight | undefined;
  observers: number;
  cacheTime: number;
  /** When the last query using it ended; undefined while in use. */
  unusedSince?: number | undefined;
}

/**
 * The store-side cache behind `Effect.query`: one per store by default (so one per request on the
 * server), or one shared by every store that is given it. It dedupes concurrent fetches of a key,
 * remembers answers with the time they arrived on its clock, evicts entries no query used for
 * `cacheTime`, and marks entries stale by key prefix.
 *
 * Eviction is lazy, on the next access, rather than by timer: a server creates a cache per request,
 * and timers would keep every request's answers in memory for `cacheTime` after its reply.
 */
export class QueryCache {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly clock: Clock) {}

  /** The cached answer for `key`, fresh or not. */
  peek<T>(key: QueryKey): CachedQuery<T> | undefined {
    this.evictUnused();
    const entry = this.entries.get(hashQueryKey(key));
    return entry?.data ? { key: entry.key, data: entry.data.value as T, updatedAt: entry.data.updatedAt } : undefined;
  }

  /** Fresh: answered less than `staleTime` ago and not invalidated since. */
  freshness(key: QueryKey, staleTime: number): QueryFreshness {
    this.evictUnused();
    const entry = this.entries.get(hashQueryKey(key));
    if (!entry?.data) return 'absent';
    if (entry.invalidated || entry.data.updatedAt + staleTime <= this.clock.now()) return 'stale';
    return 'fresh';
  }

  /** Whether a fetch for `key` is running. */
  isFetching(key: QueryKey): boolean {
    return this.entries.get(hashQueryKey(key))?.flight !== undefined;
  }

  /** Keeps the entry from eviction until the returned release is called; then `cacheTime` starts. */
  observe(key: QueryKey, cacheTime: number = DEFAULT_CACHE_TIME): () => void {
    const entry = this.entryFor(key);
    entry.observers++;
    entry.cacheTime = Math.max(entry.cacheTime, cacheTime);
    entry.unusedSince = undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.observers--;
      this.markUnused(entry);
    };
  }

  /**
   * Fetches `key`, joining the fetch already running for it. Resolves undefined once `signal`
   * aborts; the shared fetch itself is aborted only when every caller waiting on it has gone.
   */
  fetch<T>(
    key: QueryKey,
    fetcher: Fetcher<T>,
    options: { readonly signal: AbortSignal; readonly timeoutMs?: number | undefined },
  ): Promise<(Outcome<T> & { readonly updatedAt: number }) | undefined> {
    const { signal } = options;
    if (signal.aborted) return Promise.resolve(undefined);
    const entry = this.entryFor(key);
    const flight = entry.flight ?? this.start(entry, fetcher as Fetcher<unknown>, options.timeoutMs);
    flight.waiters++;
    return new Promise((resolve) => {
      let done = false;
      const leave = () => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        if (--flight.waiters > 0) return;
        flight.controller.abort(signal.reason);
        if (entry.flight === flight) {
          entry.flight = undefined;
          this.markUnused(entry);
        }
      };
      const onAbort = () => {
        leave();
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void flight.promise.then((outcome) => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        flight.waiters--;
        resolve(outcome as Outcome<T> & { readonly updatedAt: number });
      });
    });
  }

  /**
   * Marks every entry whose key starts with one of `prefixes` stale, and detaches fetches already
   * running for them: an answer requested before the change never counts as fresh. Returns how
   * many entries it touched.
   */
  invalidate(...prefixes: readonly QueryKey[]): number {
    let touched = 0;
    for (const entry of this.entries.values()) {
      if (!prefixes.some((prefix) => startsWithKey(entry.key, prefix))) continue;
      touched++;
      entry.invalidated = true;
      entry.flight = undefined;
    }
    return touched;
  }

  /** Every successful entry, for the browser's cache to start with. */
  dehydrate(): QuerySnapshot {
    this.evictUnused();
    return [...this.entries.values()].flatMap((entry) =>
      entry.data ? [{ key: entry.key, data: entry.data.value, updatedAt: entry.data.updatedAt }] : [],
    );
  }

  /** Adds the server's answers, keeping any newer one this cache already has. */
  hydrate(snapshot: QuerySnapshot, options: { readonly cacheTime?: number } = {}): void {
    for (const { key, data, updatedAt } of snapshot) {
      const entry = this.entryFor(key);
      if (entry.data && entry.data.updatedAt >= updatedAt) continue;
      entry.data = { value: data, updatedAt };
      entry.invalidated = false;
      entry.cacheTime = Math.max(entry.cacheTime, options.cacheTime ?? DEFAULT_CACHE_TIME);
      this.markUnused(entry);
    }
  }

  private entryFor(key: QueryKey): Entry {
    this.evictUnused();
    const hash = hashQueryKey(key);
    let entry = this.entries.get(hash);
    if (!entry) {
      entry = { key: structuredClone(key), invalidated: false, observers: 0, cacheTime: 0 };
      this.entries.set(hash, entry);
    }
    return entry;
  }

  private start(entry: Entry, fetcher: Fetcher<unknown>, timeoutMs: number | undefined): Flight {
    const controller = new AbortController();
    const flight: Flight = {
      controller,
      waiters: 0,
      promise: attempt(this.clock, fetcher, controller, timeoutMs).then((outcome) => {
        const updatedAt = this.clock.now();
        // A flight that was invalidated or abandoned meanwhile must not overwrite the entry.
        if (entry.flight === flight) {
          entry.flight = undefined;
          if (outcome.status === 'success') {
            entry.data = { value: outcome.data, updatedAt };
            entry.invalidated = false;
          }
          this.markUnused(entry);
        }
        return { ...outcome, updatedAt };
      }),
    };
    entry.flight = flight;
    return flight;
  }

  private markUnused(entry: Entry): void {
    if (entry.observers === 0 && !entry.flight && entry.unusedSince === undefined) entry.unusedSince = this.clock.now();
  }

  private evictUnused(): void {
    const now = this.clock.now();
    for (const [hash, entry] of this.entries) {
      if (entry.unusedSince !== undefined && now - entry.unusedSince >= entry.cacheTime) this.entries.delete(hash);
    }
  }
}

export function createQueryCache(options: { readonly clock: Clock }): QueryCache {
  return new QueryCache(options.clock);
}
