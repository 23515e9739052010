/**
 * Exact sliding-window log, kept in memory.
 *
 * Semantics (shared with the Redis implementation): a hit at time `t` is allowed iff fewer than
 * `max` *allowed* hits of the same key happened in `(t - windowMs, t]`. Refused hits are not
 * recorded, so a client that keeps knocking is not locked out longer than the window. This holds
 * for every interval of length `windowMs`, unlike fixed windows, which allow 2 × max around a
 * window boundary.
 *
 * Memory per key is bounded by `max` timestamps, and the number of keys by `maxKeys`: the least
 * recently hit key is evicted first, so a flood of spoofed source addresses cannot exhaust memory
 * (at worst, it makes the limiter forget some clients early).
 */

export interface HitResult {
  readonly allowed: boolean;
  /** Hits still allowed right now after this one. */
  readonly remaining: number;
  /** Milliseconds until the oldest counted hit leaves the window, i.e. until a slot frees. */
  readonly resetMs: number;
  /** Allowed hits inside the window, this one included when it was allowed. */
  readonly count: number;
}

export interface SlidingWindowOptions {
  readonly max: number;
  readonly windowMs: number;
  /**
   * Milliseconds on any monotonic scale. Defaults to `performance.now()`, which, unlike
   * `Date.now()`, does not jump when the wall clock is corrected.
   */
  readonly now?: () => number;
  /** Upper bound on tracked keys; default 100 000. */
  readonly maxKeys?: number;
  /** How often idle keys are dropped; default the window, clamped to 1 s … 60 s. */
  readonly sweepIntervalMs?: number;
}

export interface SlidingWindowLimiter {
  hit(key: string): HitResult;
  /** Tracked keys (for tests and metrics). */
  readonly size: number;
  /** Drops keys with no hit inside the window; runs periodically on its own. */
  sweep(): void;
  /** Stops the sweep timer and forgets every key. */
  close(): void;
}

export function assertLimits(max: number, windowMs: number, where: string): void {
  if (!Number.isInteger(max) || max < 0) throw new TypeError(`${where}: max must be an integer >= 0; got ${max}`);
  if (!Number.isFinite(windowMs) || windowMs <= 0)
    throw new TypeError(`${where}: windowMs must be a positive number; got ${windowMs}`);
}

export function createSlidingWindowLimiter(options: SlidingWindowOptions): SlidingWindowLimiter {
  const { max, windowMs } = options;
  assertLimits(max, windowMs, 'sliding window');
  const now = options.now ?? (() => performance.now());
  const maxKeys = options.maxKeys ?? 100_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1)
    throw new TypeError(`sliding window: maxKeys must be an integer >= 1; got ${maxKeys}`);

  // Map iteration order is insertion order; re-inserting on every hit makes it LRU order.
  const logs = new Map<string, number[]>();

  function dropExpired(log: number[], t: number): void {
    let expired = 0;
    while (expired < log.length && log[expired]! <= t - windowMs) expired++;
    if (expired > 0) log.splice(0, expired);
  }

  function hit(key: string): HitResult {
    const log = logs.get(key) ?? [];
    logs.delete(key);
    // A clock that steps back would break the log's order; treat it as standing still instead.
    const t = Math.max(now(), log.at(-1) ?? Number.NEGATIVE_INFINITY);
    dropExpired(log, t);
    const allowed = log.length < max;
    if (allowed) log.push(t);
    if (log.length > 0) {
      logs.set(key, log);
      if (logs.size > maxKeys) logs.delete(logs.keys().next().value!);
    }
    const oldest = log[0];
    return {
      allowed,
      count: log.length,
      remaining: max - log.length,
      resetMs: oldest === undefined ? windowMs : oldest + windowMs - t,
    };
  }

  function sweep(): void {
    const t = now();
    for (const [key, log] of logs) {
      if (log.at(-1)! <= t - windowMs) logs.delete(key);
    }
  }

  const interval = options.sweepIntervalMs ?? Math.min(Math.max(windowMs, 1000), 60_000);
  const timer = setInterval(sweep, interval);
  // The sweep is housekeeping; it must never keep the process alive on its own.
  timer.unref();

  return {
    hit,
    sweep,
    get size() {
      return logs.size;
    },
    close() {
      clearInterval(timer);
      logs.clear();
    },
  };
}
