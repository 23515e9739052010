import type { Clock, TimerHandle } from '../dependencies/clock.js';
import { CANCELLED, CancelScope, DESTROYED, REPLACED } from './cancel-scope.js';
import type { Dispatch, Effect, EffectId } from './effect.js';

export type EffectErrorSource = 'effect' | 'subscription';

export interface EffectErrorInfo {
  readonly source: EffectErrorSource;
}

export type EffectErrorHandler = (error: unknown, info: EffectErrorInfo) => void;

/** Counts the work started inside something that must know when that work is over. */
interface Tracker {
  tasks: number;
  onEmpty(): void;
}

/** The work registered under one cancellation id. */
interface Group extends Tracker {
  readonly id: EffectId;
  readonly scope: CancelScope;
}

interface Context {
  readonly dispatch: Dispatch<unknown>;
  /** Every scope this work runs in, outermost (the store's root) first. */
  readonly scopes: readonly CancelScope[];
  readonly groups: readonly Group[];
  /** Innermost last: released in reverse so a sequence starts its next step before its group empties. */
  readonly trackers: readonly Tracker[];
}

interface Throttle {
  readonly timer: TimerHandle;
  trailing?: { readonly effect: Effect<unknown>; readonly context: Context; readonly release: () => void };
}

type Counted = 'running' | 'waiting' | 'uncounted';

export interface RuntimeStats {
  /** Effects `settled()` waits for: running work plus work waiting on a timer. */
  readonly inFlight: number;
  /** Work waiting on a timer (afterDelay, debounced, a throttle's trailing call). */
  readonly waiting: number;
  readonly subscriptions: readonly EffectId[];
}

const noop = () => {};

/**
 * Interprets effect values. Every unit of work gets its own AbortSignal, aborted when any scope it
 * runs in is cancelled; a dispatch from cancelled work is dropped, so a cancelled effect can never
 * change state. Cancelled work stops counting as in flight at the moment of cancellation, even if
 * its promise never settles.
 */
export class EffectRuntime {
  private readonly root = new CancelScope();
  private readonly groups = new Map<EffectId, Group>();
  private readonly throttles = new Map<EffectId, Throttle>();
  private readonly subscriptions = new Map<EffectId, (reason: unknown) => void>();
  private readonly idleWaiters = new Set<() => void>();
  private running = 0;
  private waiting = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onError: EffectErrorHandler,
  ) {}

  get destroyed(): boolean {
    return this.root.cancelled;
  }

  /** Nothing in flight: what settled() waits for is already the case. */
  get idle(): boolean {
    return this.running + this.waiting === 0;
  }

  stats(): RuntimeStats {
    return {
      inFlight: this.running + this.waiting,
      waiting: this.waiting,
      subscriptions: [...this.subscriptions.keys()],
    };
  }

  execute<A>(effect: Effect<A>, dispatch: Dispatch<A>): void {
    if (this.destroyed) return;
    this.run(effect as Effect<unknown>, {
      dispatch: dispatch as Dispatch<unknown>,
      scopes: [this.root],
      groups: [],
      trackers: [],
    });
  }

  /** Resolves when nothing is in flight; subscriptions do not count. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => this.addIdleWaiter(resolve));
  }

  /** Stops waiting for idleness (used by settled() on timeout so waiters do not pile up). */
  forgetIdleWaiter(waiter: () => void): void {
    this.idleWaiters.delete(waiter);
  }

  addIdleWaiter(waiter: () => void): void {
    if (this.running + this.waiting === 0) waiter();
    else this.idleWaiters.add(waiter);
  }

  /** Cancels every effect, timer and subscription; the store stays usable (TestStore.skipInFlightEffects). */
  cancelAll(): void {
    this.clearThrottles();
    this.groups.clear();
    this.root.cancelChildren(CANCELLED);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.clearThrottles();
    this.groups.clear();
    this.root.cancel(DESTROYED);
  }

  private clearThrottles(): void {
    for (const throttle of this.throttles.values()) {
      this.clock.clearTimeout(throttle.timer);
      throttle.trailing?.release();
    }
    this.throttles.clear();
  }

  private run(effect: Effect<unknown>, context: Context): void {
    if (isCancelled(context)) return;
    switch (effect.kind) {
      case 'none':
        return;
      case 'send':
        return this.send(effect.action, context);
      case 'run':
        return this.startTask(context, (signal, dispatch) => effect.run(dispatch, { signal }));
      case 'fireAndForget':
        return this.startTask(context, (signal) => effect.run({ signal }));
      case 'batch':
        for (const child of effect.effects) this.run(child, context);
        return;
      case 'concatenate':
        return this.sequence(effect.effects, 0, context);
      case 'cancellable':
        return this.runInGroup(effect.id, effect.effect, context, effect.cancelInFlight);
      case 'cancel':
        return this.cancel(effect.id);
      case 'debounced':
        return this.runInGroup(effect.id, { kind: 'afterDelay', ms: effect.ms, effect: effect.effect }, context, true);
      case 'throttled':
        return this.throttle(effect.id, effect.ms, effect.effect, context);
      case 'afterDelay':
        return this.delay(effect.ms, effect.effect, context);
      case 'subscription':
        return this.subscribe(effect.id, effect.start, context);
      case 'map': {
        const parentDispatch = context.dispatch;
        const transform = effect.transform;
        return this.run(effect.effect, { ...context, dispatch: (action) => parentDispatch(transform(action)) });
      }
    }
  }

  private send(action: unknown, context: Context): void {
    try {
      context.dispatch(action);
    } catch (error) {
      // Only reached outside the store's queue (a timer firing): the reducer threw.
      this.report(error, 'effect');
    }
  }

  /** Counts one unit of work in flight and in each enclosing tracker; the returned release is idempotent. */
  private acquire(trackers: readonly Tracker[], counted: Counted): () => void {
    if (counted === 'running') this.running++;
    else if (counted === 'waiting') this.waiting++;
    for (const tracker of trackers) tracker.tasks++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (let index = trackers.length - 1; index >= 0; index--) {
        const tracker = trackers[index]!;
        tracker.tasks--;
        if (tracker.tasks === 0) tracker.onEmpty();
      }
      if (counted === 'running') this.running--;
      else if (counted === 'waiting') this.waiting--;
      if (counted !== 'uncounted' && this.running + this.waiting === 0) this.notifyIdle();
    };
  }

  private notifyIdle(): void {
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  private report(error: unknown, source: EffectErrorSource): void {
    try {
      this.onError(error, { source });
    } catch (handlerError) {
      // A failing error handler must not leave the failed effect counted in flight.
      console.error('[composable-svelte] onEffectError threw:', handlerError);
    }
  }

  private startTask(context: Context, body: (signal: AbortSignal, dispatch: Dispatch<unknown>) => unknown): void {
    const controller = new AbortController();
    const { signal } = controller;
    let release = noop;
    let forget = noop;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      forget();
      release();
    };
    try {
      release = this.acquire(context.trackers, 'running');
      forget = onCancelOfAll(context.scopes, (reason) => {
        controller.abort(reason);
        finish();
      });
      const dispatch: Dispatch<unknown> = (action) => {
        if (!signal.aborted && !isCancelled(context)) context.dispatch(action);
      };
      const result = body(signal, dispatch);
      if (!isThenable(result)) {
        finish();
        return;
      }
      result.then(finish, (error: unknown) => {
        // Work that fails because it was cancelled is not an error anyone needs to hear about.
        if (!signal.aborted) this.report(error, 'effect');
        finish();
      });
    } catch (error) {
      if (!signal.aborted) this.report(error, 'effect');
      finish();
    }
  }

  private sequence(effects: readonly Effect<unknown>[], from: number, context: Context): void {
    for (let index = from; index < effects.length; index++) {
      if (isCancelled(context)) return;
      let armed = false;
      const next = index + 1;
      const step: Tracker = {
        tasks: 0,
        onEmpty: () => {
          if (armed) this.sequence(effects, next, context);
        },
      };
      this.run(effects[index]!, { ...context, trackers: [...context.trackers, step] });
      if (step.tasks > 0) {
        armed = true;
        return;
      }
    }
  }

  private runInGroup(id: EffectId, effect: Effect<unknown>, context: Context, cancelInFlight: boolean): void {
    // Inside work already running under this id, join it: cancelling it would cancel ourselves.
    const enclosing = context.groups.find((group) => group.id === id && this.groups.get(id) === group);
    let group = enclosing ?? this.groups.get(id);
    // Replacing work can be the last thing in flight (the replacement is sent from inside it): held
    // until the replacement has started, so settled() does not see the gap between them as idle.
    let hold = noop;
    if (group && cancelInFlight && !enclosing) {
      hold = this.acquire([], 'running');
      this.cancelGroup(group, REPLACED);
      group = undefined;
    }
    if (!group) group = this.createGroup(id);
    try {
      this.run(effect, {
        ...context,
        scopes: enclosing ? context.scopes : [...context.scopes, group.scope],
        groups: enclosing ? context.groups : [...context.groups, group],
        trackers: [...context.trackers, group],
      });
      if (group.tasks === 0) group.onEmpty();
    } finally {
      hold();
    }
  }

  private createGroup(id: EffectId): Group {
    const group: Group = {
      id,
      scope: new CancelScope(),
      tasks: 0,
      onEmpty: () => {
        if (this.groups.get(id) === group) this.groups.delete(id);
      },
    };
    this.groups.set(id, group);
    return group;
  }

  private cancelGroup(group: Group, reason: unknown): void {
    if (this.groups.get(group.id) === group) this.groups.delete(group.id);
    group.scope.cancel(reason);
  }

  private cancel(id: EffectId): void {
    const group = this.groups.get(id);
    if (group) this.cancelGroup(group, CANCELLED);
    const throttle = this.throttles.get(id);
    if (throttle) {
      this.throttles.delete(id);
      this.clock.clearTimeout(throttle.timer);
      throttle.trailing?.release();
    }
    this.subscriptions.get(id)?.(CANCELLED);
  }

  private delay(ms: number, effect: Effect<unknown>, context: Context): void {
    let release = noop;
    let forget = noop;
    let timer: TimerHandle;
    try {
      release = this.acquire(context.trackers, 'waiting');
      forget = onCancelOfAll(context.scopes, () => {
        this.clock.clearTimeout(timer);
        release();
      });
      timer = this.clock.setTimeout(() => {
        forget();
        // Run the delayed effect before releasing, so in-flight never touches zero in between.
        try {
          this.run(effect, context);
        } finally {
          release();
        }
      }, ms);
    } catch (error) {
      this.report(error, 'effect');
      forget();
      release();
    }
  }

  private throttle(id: EffectId, ms: number, effect: Effect<unknown>, context: Context): void {
    const existing = this.throttles.get(id);
    if (existing) {
      existing.trailing?.release();
      existing.trailing = { effect, context, release: this.acquire(context.trackers, 'waiting') };
      return;
    }
    // The window opens before the leading effect starts: a call it makes at once must wait too.
    this.openThrottleWindow(id, ms);
    this.runInGroup(id, effect, context, false);
  }

  private openThrottleWindow(id: EffectId, ms: number): void {
    const timer = this.clock.setTimeout(() => {
      const throttle = this.throttles.get(id);
      if (!throttle || throttle.timer !== timer) return;
      this.throttles.delete(id);
      const trailing = throttle.trailing;
      if (!trailing) return;
      try {
        if (!isCancelled(trailing.context)) {
          this.openThrottleWindow(id, ms);
          this.runInGroup(id, trailing.effect, trailing.context, false);
        }
      } finally {
        trailing.release();
      }
    }, ms);
    this.throttles.set(id, { timer });
  }

  private subscribe(id: EffectId, start: (dispatch: Dispatch<unknown>) => (() => void) | void, context: Context): void {
    this.subscriptions.get(id)?.(REPLACED);
    let stopped = false;
    let cleanup: (() => void) | void = undefined;
    let release = noop;
    let forget = noop;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (this.subscriptions.get(id) === stop) this.subscriptions.delete(id);
      forget();
      release();
      const run = cleanup;
      cleanup = undefined;
      try {
        run?.();
      } catch (error) {
        this.report(error, 'subscription');
      }
    };
    this.subscriptions.set(id, stop);
    try {
      release = this.acquire(context.trackers, 'uncounted');
      forget = onCancelOfAll(context.scopes, stop);
      cleanup = start((action) => {
        if (!stopped) context.dispatch(action);
      });
    } catch (error) {
      this.report(error, 'subscription');
      stop();
    }
    // The subscription may have been cancelled while it started; its cleanup must still run.
    if (stopped && cleanup) {
      stopped = false;
      stop();
    }
  }
}

function isCancelled(context: Context): boolean {
  return context.scopes.some((scope) => scope.cancelled);
}

function onCancelOfAll(scopes: readonly CancelScope[], listener: (reason: unknown) => void): () => void {
  let fired = false;
  const forgets: (() => void)[] = [];
  const forgetAll = () => {
    for (const forget of forgets) forget();
  };
  const once = (reason: unknown) => {
    if (fired) return;
    fired = true;
    forgetAll();
    listener(reason);
  };
  for (const scope of scopes) forgets.push(scope.onCancel(once));
  return forgetAll;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
