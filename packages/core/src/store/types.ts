import type { Effect } from '../effect/effect.js';
import type { EffectErrorHandler } from '../effect/runtime.js';

/** A pure function: the next state and the work to do, never the work itself. */
export type Reducer<S, A, D = unknown> = (state: S, action: A, dependencies: D) => readonly [S, Effect<A>];

export interface StoreConfig<S, A, D> {
  readonly initialState: S;
  readonly reducer: Reducer<S, A, D>;
  readonly dependencies?: D;
  /** Called when an effect throws or rejects. Defaults to console.error. */
  readonly onEffectError?: EffectErrorHandler;
}

export interface SettledOptions {
  /** Rejects with a StoreSettleTimeoutError when effects are still in flight after this long. */
  readonly timeoutMs?: number;
}

export interface Store<S, A> {
  /** The current state. Plain property access; reactive in components via the `/svelte` binding or `$store`. */
  readonly state: S;
  /** Runs the reducer synchronously, notifies subscribers, then starts the returned effect. */
  dispatch(action: A): void;
  /** Svelte store contract: called at once with the current state; returns an unsubscribe function. */
  subscribe(listener: (state: S) => void): () => void;
  /** Resolves once no effect is in flight (subscriptions excluded). */
  settled(options?: SettledOptions): Promise<void>;
  /** Cancels every running effect, timer and subscription; later dispatches are ignored. */
  destroy(): void;
}
