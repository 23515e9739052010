import { Effect } from '../effect/effect.js';
import { createModuleLoader, type DefaultModule } from '../modules/module-loader.js';
import type { Reducer } from '../store/types.js';

export interface LazyReducer<S, A, D = unknown> {
  /**
   * The reducer to compose (combine, scope…). Once the module is in, it is that module's reducer;
   * until then it returns the state as it is and no effect, like a child whose state is absent.
   */
  readonly reducer: Reducer<S, A, D>;
  /** Imports the module once: concurrent calls share one import, a failed one is tried again on the next call. */
  load(): Promise<void>;
}

const KEY = 'reducer';

/**
 * A feature's reducer in a chunk of its own (`() => import('./subscribe-feature.js')`, default
 * export), so a first page that never shows the feature does not download it. The composition
 * stays static and every reducer synchronous; bringing the module in is work like any other, so an
 * app loads it before the feature's actions can arrive: with the page that shows the feature (its
 * view only exists once the page's chunk is in), and inside the effect that answers the feature (a
 * request whose answer is the feature's action awaits `load()` too). An action that reaches the
 * feature before that is not reduced, as with `ifLet` and an absent child. A server loads every
 * feature before it renders.
 */
export function lazyReducer<S, A, D = unknown>(
  source: () => Promise<DefaultModule<Reducer<S, A, D>>>,
): LazyReducer<S, A, D> {
  const modules = createModuleLoader<Reducer<S, A, D>>(() => 'lazyReducer: no module', { [KEY]: source });
  return {
    reducer: (state, action, dependencies) => {
      const reducer = modules.loaded(KEY);
      return reducer ? reducer(state, action, dependencies) : [state, Effect.none()];
    },
    load: async () => {
      await modules.load(KEY);
    },
  };
}
