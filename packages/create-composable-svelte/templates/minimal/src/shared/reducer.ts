import { Effect, type Reducer } from '@composable-svelte/core';
import type { AppAction, AppDependencies, AppState } from './state.js';

/** A new count makes the fact about the old one stale: any request for it in flight is cancelled. */
const FACT = 'fact';

export const reducer: Reducer<AppState, AppAction, AppDependencies> = (state, action, { facts }) => {
  switch (action.type) {
    case 'incremented':
      return [{ ...state, count: state.count + 1, fact: null, loadingFact: false }, Effect.cancel(FACT)];
    case 'decremented':
      return [{ ...state, count: state.count - 1, fact: null, loadingFact: false }, Effect.cancel(FACT)];
    case 'factRequested': {
      const { count } = state;
      const load = Effect.run<AppAction>(async (dispatch, { signal }) => {
        try {
          dispatch({ type: 'factLoaded', fact: await facts(count, signal) });
        } catch (error) {
          if (!signal.aborted) dispatch({ type: 'factFailed', message: (error as Error).message });
        }
      });
      return [{ ...state, loadingFact: true, factError: null }, Effect.cancellable(FACT, load)];
    }
    case 'factLoaded':
      return [{ ...state, fact: action.fact, loadingFact: false }, Effect.none()];
    case 'factFailed':
      return [{ ...state, factError: action.message, loadingFact: false }, Effect.none()];
  }
};
