import type { Clock } from '../dependencies/clock.js';
import { QueryError, toQueryError } from './query-error.js';

/** What one call of a fetcher or mutator came to. `unclassified` failures are bugs, reported as effect errors. */
export type Outcome<T> =
  | { readonly status: 'success'; readonly data: T }
  | { readonly status: 'error'; readonly error: QueryError }
  | { readonly status: 'unclassified'; readonly error: unknown };

export type Fetcher<T> = (context: { readonly signal: AbortSignal }) => Promise<T>;

/**
 * Runs `work` with `controller`'s signal; past `timeoutMs` on `clock` it aborts that signal and the
 * outcome is a timeout at once, even when the work ignores its signal.
 */
export async function attempt<T>(
  clock: Clock,
  work: Fetcher<T>,
  controller: AbortController,
  timeoutMs: number | undefined,
): Promise<Outcome<T>> {
  let timer: unknown;
  const timedOut = new Promise<Outcome<T>>((resolve) => {
    if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return;
    timer = clock.setTimeout(() => {
      const error = new QueryError('timeout', `The request took longer than ${timeoutMs} ms`);
      controller.abort(error);
      resolve({ status: 'error', error });
    }, timeoutMs);
  });
  const worked = (async (): Promise<Outcome<T>> => {
    try {
      return { status: 'success', data: await work({ signal: controller.signal }) };
    } catch (error) {
      const classified = toQueryError(error);
      return classified ? { status: 'error', error: classified } : { status: 'unclassified', error };
    }
  })();
  try {
    return await Promise.race([worked, timedOut]);
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
}
