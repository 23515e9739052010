import { createSystemClock, type Clock } from '../dependencies/clock.js';
import { EffectRuntime, type EffectErrorHandler } from '../effect/runtime.js';
import { StoreSettleTimeoutError } from './errors.js';
import type { SettledOptions, Store, StoreConfig } from './types.js';

const defaultEffectErrorHandler: EffectErrorHandler = (error, info) => {
  console.error(`[composable-svelte] an ${info.source} failed:`, error);
};

export interface StoreInternals {
  readonly runtime: EffectRuntime;
}

function clockFrom(dependencies: unknown): Clock {
  const clock = (dependencies as { clock?: Clock } | undefined)?.clock;
  return clock && typeof clock.setTimeout === 'function' ? clock : createSystemClock();
}

/** Builds a store and hands back its runtime, for the TestStore; createStore hides the runtime. */
export function createStoreWithInternals<S, A, D>(config: StoreConfig<S, A, D>): [Store<S, A>, StoreInternals] {
  const { reducer } = config;
  const dependencies = config.dependencies as D;
  const runtime = new EffectRuntime(clockFrom(dependencies), config.onEffectError ?? defaultEffectErrorHandler);
  const listeners = new Set<(state: S) => void>();
  let state = config.initialState;

  const notify = () => {
    const errors: unknown[] = [];
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch (error) {
        errors.push(error);
      }
    }
    // A failing listener must not keep the others from seeing the new state.
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} store listeners failed`);
  };

  const dispatch = (action: A): void => {
    if (runtime.destroyed) return;
    // The reducer runs before anything is assigned, so a throwing reducer leaves the state as it was.
    const [next, effect] = reducer(state, action, dependencies);
    const changed = !Object.is(next, state);
    state = next;
    try {
      if (changed) notify();
    } finally {
      runtime.execute(effect, dispatch);
    }
  };

  const settled = (options: SettledOptions = {}): Promise<void> => {
    const { timeoutMs } = options;
    if (timeoutMs === undefined) return runtime.whenIdle();
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(new RangeError(`settled({ timeoutMs }) needs a finite number ≥ 0; got ${timeoutMs}`));
    }
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
  };
  return [store, { runtime }];
}

export function createStore<S, A, D = unknown>(config: StoreConfig<S, A, D>): Store<S, A> {
  return createStoreWithInternals(config)[0];
}
