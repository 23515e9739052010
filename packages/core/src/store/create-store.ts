import { liveDependencies, withDefaults, type Dependencies } from '../dependencies/dependencies.js';
import { EffectRuntime, type EffectErrorHandler } from '../effect/runtime.js';
import { ReducerResultError, StoreSettleTimeoutError } from './errors.js';
import { scopeStore } from './scope-store.js';
import type { SettledOptions, Store, StoreConfig } from './types.js';

const defaultEffectErrorHandler: EffectErrorHandler = (error, info) => {
  console.error(`[composable-svelte] an ${info.source} failed:`, error);
};

const actionType = (action: unknown): string => {
  const type = (action as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : String(action);
};

export interface StoreInternals {
  readonly runtime: EffectRuntime;
}

export interface StoreOptions {
  /** The built-in dependencies' values when the config leaves them out. Live values by default. */
  readonly defaults?: Dependencies;
}

/** Past this many reduced actions the queue drops its consumed head, so long chains stay in bounded memory. */
const COMPACT_AFTER = 1024;

/** Builds a store and hands back its runtime, for the TestStore; createStore hides the runtime. */
export function createStoreWithInternals<S, A, D>(
  config: StoreConfig<S, A, D>,
  options: StoreOptions = {},
): [Store<S, A>, StoreInternals] {
  const { reducer } = config;
  const dependencies = withDefaults(options.defaults ?? liveDependencies(), config.dependencies) as D & Dependencies;
  const runtime = new EffectRuntime(dependencies.clock, config.onEffectError ?? defaultEffectErrorHandler);
  const listeners = new Set<(state: S) => void>();
  let state = config.initialState;
  let published = state;
  // Actions wait here while the store works: one dispatched by an effect, a reducer or a listener
  // is reduced after the ones before it, never inside them (no re-entrance, no deep recursion).
  let queue: A[] = [];
  let head = 0;
  let draining = false;

  const reduceQueued = (errors: unknown[]) => {
    while (head < queue.length) {
      const action = queue[head++]!;
      if (head >= COMPACT_AFTER && head * 2 >= queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      if (runtime.destroyed) continue;
      let result;
      try {
        result = reducer(state, action, dependencies);
        if (result?.[0] === undefined) throw new ReducerResultError(actionType(action));
      } catch (error) {
        // The state is assigned only after the reducer returned, so a throwing reducer changes nothing.
        errors.push(error);
        continue;
      }
      state = result[0];
      runtime.execute(result[1], dispatch);
    }
    queue = [];
    head = 0;
  };

  const publish = (errors: unknown[]) => {
    if (Object.is(state, published)) return;
    published = state;
    // A failing listener must not keep the others from seeing the new state.
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch (error) {
        errors.push(error);
      }
    }
  };

  function dispatch(action: A): void {
    if (runtime.destroyed) return;
    queue.push(action);
    if (draining) return;
    draining = true;
    const errors: unknown[] = [];
    try {
      // Listeners may dispatch: those actions are queued and drained before we return.
      do {
        reduceQueued(errors);
        publish(errors);
      } while (queue.length > 0);
    } finally {
      draining = false;
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} reducers or store listeners failed`);
  }

  const settled = (options: SettledOptions = {}): Promise<void> => {
    const { timeoutMs } = options;
    if (timeoutMs === undefined) return runtime.whenIdle();
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(new RangeError(`settled({ timeoutMs }) needs a finite number ≥ 0; got ${timeoutMs}`));
    }
    // Nothing in flight (a page whose data was already there): no deadline timer to arm and clear.
    if (runtime.idle) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        runtime.forgetIdleWaiter(onIdle);
        reject(new StoreSettleTimeoutError(timeoutMs, runtime.stats().inFlight));
      }, timeoutMs);
      const onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
      runtime.addIdleWaiter(onIdle);
    });
  };

  const store: Store<S, A> = {
    get state() {
      return state;
    },
    dispatch,
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => {
        listeners.delete(listener);
      };
    },
    settled,
    destroy() {
      runtime.destroy();
      listeners.clear();
    },
    scope: (toChildState, fromChildAction) => scopeStore(store, toChildState, fromChildAction),
  };
  return [store, { runtime }];
}

export function createStore<S, A, D = unknown>(config: StoreConfig<S, A, D>): Store<S, A> {
  return createStoreWithInternals(config)[0];
}
