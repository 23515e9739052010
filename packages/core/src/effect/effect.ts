/**
 * Effects are plain values the store interprets: a reducer describes work, it never performs it.
 * That keeps reducers pure, lets the server await every effect before rendering, and lets the
 * TestStore assert exactly what happened.
 */
export type EffectId = string | number | symbol;
export type Dispatch<A> = (action: A) => void;

export interface EffectContext {
  /** Aborts when the effect is cancelled or the store is destroyed. */
  readonly signal: AbortSignal;
}

export type Effect<A> =
  | { readonly kind: 'none' }
  | { readonly kind: 'run'; readonly run: (dispatch: Dispatch<A>, context: EffectContext) => unknown }
  | { readonly kind: 'fireAndForget'; readonly run: (context: EffectContext) => unknown }
  | { readonly kind: 'send'; readonly action: A }
  | { readonly kind: 'batch'; readonly effects: readonly Effect<A>[] }
  | { readonly kind: 'concatenate'; readonly effects: readonly Effect<A>[] }
  | {
      readonly kind: 'cancellable';
      readonly id: EffectId;
      readonly effect: Effect<A>;
      readonly cancelInFlight: boolean;
    }
  | { readonly kind: 'cancel'; readonly id: EffectId }
  | { readonly kind: 'debounced'; readonly id: EffectId; readonly ms: number; readonly effect: Effect<A> }
  | { readonly kind: 'throttled'; readonly id: EffectId; readonly ms: number; readonly effect: Effect<A> }
  | { readonly kind: 'afterDelay'; readonly ms: number; readonly effect: Effect<A> }
  | {
      readonly kind: 'subscription';
      readonly id: EffectId;
      readonly start: (dispatch: Dispatch<A>) => (() => void) | void;
    }
  | { readonly kind: 'map'; readonly effect: Effect<unknown>; readonly transform: (action: unknown) => A };

const NONE: Effect<never> = Object.freeze({ kind: 'none' });

export interface CancellableOptions {
  /**
   * Cancel work already running under the id before starting this one. Default true (TCA's
   * default is false; see "Differences from TCA" in the README). With false, the effect joins the
   * id: `Effect.cancel(id)` cancels all of them.
   */
  readonly cancelInFlight?: boolean;
}

function checkDelay(name: string, ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Effect.${name}: ms must be a finite number ≥ 0; got ${String(ms)}`);
  }
  return ms;
}

export const Effect = {
  none(): Effect<never> {
    return NONE;
  },
  /** Async work that may dispatch actions. Dispatches after cancellation are dropped. */
  run<A>(run: (dispatch: Dispatch<A>, context: EffectContext) => unknown): Effect<A> {
    return { kind: 'run', run };
  },
  /** Async work that never dispatches (analytics, logging, writes whose result is not needed). */
  fireAndForget(run: (context: EffectContext) => unknown): Effect<never> {
    return { kind: 'fireAndForget', run };
  },
  /**
   * Sends an action back to the store at once, as an effect: it is queued behind the actions
   * already waiting and reduced in order. Not counted as work in flight.
   */
  send<A>(action: A): Effect<A> {
    return { kind: 'send', action };
  },
  /** All of them, started together (TCA's `.merge`). */
  batch<A>(...effects: readonly Effect<A>[]): Effect<A> {
    const kept = effects.filter((effect) => effect.kind !== 'none');
    if (kept.length === 0) return NONE;
    if (kept.length === 1) return kept[0]!;
    return { kind: 'batch', effects: kept };
  },
  /**
   * One after another: each starts once everything the previous one started has finished (a
   * subscription never finishes, so nothing after it would start). Cancelling the enclosing id
   * stops the sequence.
   */
  concatenate<A>(...effects: readonly Effect<A>[]): Effect<A> {
    const kept = effects.filter((effect) => effect.kind !== 'none');
    if (kept.length === 0) return NONE;
    if (kept.length === 1) return kept[0]!;
    return { kind: 'concatenate', effects: kept };
  },
  /**
   * Registers the effect under `id` so `Effect.cancel(id)` can stop it. By default, starting another
   * with the same id cancels the running one first. Inside an effect already running under `id`
   * (a debounced or cancellable effect wrapping another with the same id) it joins that work
   * instead of cancelling it.
   */
  cancellable<A>(id: EffectId, effect: Effect<A>, options: CancellableOptions = {}): Effect<A> {
    if (effect.kind === 'none') return NONE;
    return { kind: 'cancellable', id, effect, cancelInFlight: options.cancelInFlight ?? true };
  },
  /** Cancels running work, pending timers and subscriptions registered under `id`. */
  cancel(id: EffectId): Effect<never> {
    return { kind: 'cancel', id };
  },
  /** Trailing debounce: runs `effect` once `ms` have passed without another call for `id`. */
  debounced<A>(id: EffectId, ms: number, effect: Effect<A>): Effect<A> {
    return { kind: 'debounced', id, ms: checkDelay('debounced', ms), effect };
  },
  /** Runs the first call at once, then at most one (the latest) call at the end of each window. */
  throttled<A>(id: EffectId, ms: number, effect: Effect<A>): Effect<A> {
    return { kind: 'throttled', id, ms: checkDelay('throttled', ms), effect };
  },
  afterDelay<A>(ms: number, effect: Effect<A>): Effect<A> {
    return { kind: 'afterDelay', ms: checkDelay('afterDelay', ms), effect };
  },
  /**
   * A long-lived source of actions (a socket, a timer, an event listener). Not awaited by
   * `settled()`. Starting one with the same id replaces the previous one.
   */
  subscription<A>(id: EffectId, start: (dispatch: Dispatch<A>) => (() => void) | void): Effect<A> {
    return { kind: 'subscription', id, start };
  },
  /** Lifts a child feature's effect into the parent's action type. */
  map<A, B>(effect: Effect<A>, transform: (action: A) => B): Effect<B> {
    if (effect.kind === 'none') return NONE;
    return { kind: 'map', effect: effect as Effect<unknown>, transform: transform as (action: unknown) => B };
  },
} as const;
