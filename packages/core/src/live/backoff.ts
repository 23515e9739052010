export interface BackoffOptions {
  /** First ceiling; default 500 ms. */
  readonly baseMs?: number;
  /** Largest ceiling; default 30 s. */
  readonly capMs?: number;
}

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay between 0
 * and min(cap, base·2^attempt). Spreads the reconnects of every client an instance dropped at once,
 * instead of sending them back in waves.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const { baseMs = 500, capMs = 30_000 } = options;
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}
