import type { Dependencies } from '../dependencies/dependencies.js';
import type { Effect } from '../effect/effect.js';
import type { EffectErrorHandler } from '../effect/runtime.js';

/** A pure function: the next state and the work to do, never the work itself. */
export type Reducer<S, A, D = unknown> = (state: S, action: A, dependencies: D) => readonly [S, Effect<A>];

/**
 * What a store is given: the reducer's dependencies, where the built-in ones (clock, uuid, fetch,
 * random) may be left out and get their live values.
 */
export type ProvidedDependencies<D> = D | (Omit<D, keyof Dependencies> & Partial<Dependencies>);

export interface StoreConfig<S, A, D> {
  readonly initialState: S;
  readonly reducer: Reducer<S, A, D>;
  readonly dependencies?: ProvidedDependencies<D>;
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
  /**
   * Queues the action and, unless the store is already working through its queue, reduces queued
   * actions one by one in order (FIFO), starting each one's effects before the next is reduced.
   * Subscribers hear once, when the queue is empty. A throwing reducer leaves the state as it was;
   * the rest of the queue still runs and the error is thrown to the caller that started the drain.
   */
  dispatch(action: A): void;
  /** Svelte store contract: called at once with the current state, then once per drained queue. */
  subscribe(listener: (state: S) => void): () => void;
  /** Resolves once no effect is in flight (subscriptions excluded). */
  settled(options?: SettledOptions): Promise<void>;
  /** Cancels every running effect, timer and subscription; later dispatches are ignored. */
  destroy(): void;
  /**
   * A store for a child component: state derived from this one, actions wrapped into this one's.
   * Its subscribers are only called when the child state changed. Destroying it only removes its
   * own subscriptions.
   */
  scope<CS, CA>(toChildState: (state: S) => CS, fromChildAction: (action: CA) => A): Store<CS, CA>;
}
