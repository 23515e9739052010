import { Effect } from '../effect/effect.js';
import type { Reducer } from '../store/types.js';

/** Runs reducers one after another on the same state; their effects run together. */
export function combine<S, A, D>(...reducers: readonly Reducer<S, A, D>[]): Reducer<S, A, D> {
  return (state, action, dependencies) => {
    let current = state;
    const effects: Effect<A>[] = [];
    for (const reducer of reducers) {
      const [next, effect] = reducer(current, action, dependencies);
      current = next;
      effects.push(effect);
    }
    return [current, Effect.batch(...effects)];
  };
}

/**
 * One reducer per key of the state object; each sees its own slice and every action. The state
 * object is only replaced when a slice changed, so unchanged state keeps its identity.
 */
export function combineReducers<S extends Record<string, unknown>, A, D>(reducers: {
  readonly [K in keyof S]: Reducer<S[K], A, D>;
}): Reducer<S, A, D> {
  const keys = Object.keys(reducers) as (keyof S)[];
  return (state, action, dependencies) => {
    let next: S | undefined;
    const effects: Effect<A>[] = [];
    for (const key of keys) {
      const [slice, effect] = reducers[key](state[key], action, dependencies);
      if (!Object.is(slice, state[key])) {
        next ??= { ...state };
        next[key] = slice;
      }
      effects.push(effect);
    }
    return [next ?? state, Effect.batch(...effects)];
  };
}
