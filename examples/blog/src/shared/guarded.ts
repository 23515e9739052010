import { QueryError } from '@composable-svelte/core';
import { ApiError } from './api.js';

export const GENERIC_FAILURE = 'Something went wrong while loading.';

/**
 * The API's failures as QueryErrors, for queries and mutations alike. Only an ApiError carries a
 * message meant for readers; anything else could expose internals, so it becomes a generic 500.
 */
export function guarded<T>(request: (signal: AbortSignal) => Promise<T>) {
  return async ({ signal }: { readonly signal: AbortSignal }): Promise<T> => {
    try {
      return await request(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof ApiError) {
        throw error.status === 0
          ? new QueryError('network', error.message, { cause: error })
          : new QueryError('http', error.message, { status: error.status, cause: error });
      }
      throw new QueryError('http', GENERIC_FAILURE, { status: 500, cause: error });
    }
  };
}
