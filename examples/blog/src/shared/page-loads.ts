import { Effect, QueryError } from '@composable-svelte/core';
import { GENERIC_FAILURE, guarded } from './guarded.js';
import type { BlogAction, BlogState, Page } from './state.js';

/** The id of a page's loads: a newer navigation cancels an older one's. */
export const LOAD_ID = 'page-data';

export function loadFailed(error: QueryError): BlogAction {
  const httpStatus = error.kind === 'http' ? (error.status ?? 500) : 0;
  const message = httpStatus === 404 ? 'This post does not exist.' : error.message;
  return { type: 'loadFailed', httpStatus, message };
}

/** A data request outside the query cache (a CSRF token, an account's lists); failures become loadFailed. */
export function load(request: (signal: AbortSignal) => Promise<BlogAction>): Effect<BlogAction> {
  return Effect.run<BlogAction>(async (dispatch, { signal }) => {
    let outcome: BlogAction;
    try {
      outcome = await guarded(request)({ signal });
    } catch (error) {
      outcome = loadFailed(error instanceof QueryError ? error : new QueryError('http', GENERIC_FAILURE));
    }
    dispatch(outcome);
  });
}

export interface Need {
  readonly effect: Effect<BlogAction>;
  /** The page cannot show without it (as opposed to revalidating what it shows). */
  readonly missing: boolean;
}

/** Shows a page and loads what it needs; a newer navigation cancels an older load. */
export function enterWith(
  state: BlogState,
  page: Page,
  needed: readonly Need[],
): readonly [BlogState, Effect<BlogAction>] {
  const load = needed.some((n) => n.missing) ? ({ status: 'loading' } as const) : ({ status: 'ready' } as const);
  if (needed.length === 0) return [{ ...state, page, load }, Effect.cancel(LOAD_ID)];
  return [{ ...state, page, load }, Effect.cancellable(LOAD_ID, Effect.batch(...needed.map((n) => n.effect)))];
}

/** Ready once nothing the page needs is missing, so parallel loads may finish in any order. */
export function settle(state: BlogState, lacksData: (state: BlogState, page: Page) => boolean): BlogState {
  if (state.load.status !== 'loading') return state;
  return lacksData(state, state.page) ? state : { ...state, load: { status: 'ready' } };
}
