import type { Clock, TimerHandle } from '../dependencies/clock.js';
import type { Dispatch, Effect, EffectId } from './effect.js';
import { linkedAbort } from './linked-abort.js';

export type EffectErrorSource = 'effect' | 'subscription';

export interface EffectErrorInfo {
  readonly source: EffectErrorSource;
}

export type EffectErrorHandler = (error: unknown, info: EffectErrorInfo) => void;

/** Work registered under a cancellation id; `tasks` counts what still runs inside it. */
interface Group {
  readonly id: EffectId;
  readonly controller: AbortController;
  readonly dispose: () => void;
  tasks: number;
}

interface Context {
  readonly signal: AbortSignal;
  readonly dispatch: Dispatch<unknown>;
  readonly groups: readonly Group[];
}

interface Throttle {
  readonly timer: TimerHandle;
  trailing?: { readonly effect: Effect<unknown>; readonly context: Context; readonly release: () => void };
}

export interface RuntimeStats {
  /** Effects `settled()` waits for: running work and pending timers. */
  readonly inFlight: number;
  readonly subscriptions: readonly EffectId[];
}

class CancellationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortError';
  }
}

/**
 * Interprets effect values. Every unit of work gets its own AbortSignal linked to the groups it
 * runs in and to the store's root signal; a dispatch from work whose signal aborted is dropped, so
 * a cancelled effect can never change state. Cancelled work stops counting as in flight at the
 * moment of cancellation, even if its promise never settles.
 */
export class EffectRuntime {
  private readonly root = new AbortController();
  private readonly groups = new Map<EffectId, Group>();
  private readonly throttles = new Map<EffectId, Throttle>();
  private readonly subscriptions = new Map<EffectId, AbortController>();
  private readonly idleWaiters = new Set<() => void>();
  private inFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly onError: EffectErrorHandler,
  ) {}

  get destroyed(): boolean {
    return this.root.signal.aborted;
  }

  stats(): RuntimeStats {
    return { inFlight: this.inFlight, subscriptions: [...this.subscriptions.keys()] };
  }

  execute<A>(effect: Effect<A>, dispatch: Dispatch<A>): void {
    if (this.destroyed) return;
    this.run(effect as Effect<unknown>, {
      signal: this.root.signal,
      dispatch: dispatch as Dispatch<unknown>,
      groups: [],
    });
  }

  /** Resolves when nothing is in flight; subscriptions do not count. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Stops waiting for idleness (used by settled() on timeout so waiters do not pile up). */
  forgetIdleWaiter(waiter: () => void): void {
    this.idleWaiters.delete(waiter);
  }

  addIdleWaiter(waiter: () => void): void {
    if (this.inFlight === 0) waiter();
    else this.idleWaiters.add(waiter);
  }

  destroy(): void {
    if (this.destroyed) return;
    for (const throttle of this.throttles.values()) {
      this.clock.clearTimeout(throttle.timer);
      throttle.trailing?.release();
    }
    this.throttles.clear();
    this.root.abort(new CancellationError('The store was destroyed'));
  }

  private run(effect: Effect<unknown>, context: Context): void {
    if (context.signal.aborted) return;
    switch (effect.kind) {
      case 'none':
        return;
      case 'run':
        return this.startTask(context, (signal, dispatch) => effect.run(dispatch, { signal }));
      case 'fireAndForget':
        return this.startTask(context, (signal) => effect.run({ signal }));
      case 'batch':
        for (const child of effect.effects) this.run(child, context);
        return;
      case 'cancellable':
        return this.runInGroup(effect.id, effect.effect, context, 'replace');
      case 'cancel':
        return this.cancel(effect.id);
      case 'debounced':
        return this.runInGroup(
          effect.id,
          { kind: 'afterDelay', ms: effect.ms, effect: effect.effect },
          context,
          'replace',
        );
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

  /** Counts one unit of work in flight (unless `counted` is false) and in each enclosing group. */
  private acquire(groups: readonly Group[], counted: boolean): () => void {
    if (counted) this.inFlight++;
    for (const group of groups) group.tasks++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const group of groups) {
        group.tasks--;
        if (group.tasks === 0 && this.groups.get(group.id) === group) {
          this.groups.delete(group.id);
          group.dispose();
        }
      }
      if (counted) {
        this.inFlight--;
        if (this.inFlight === 0) this.notifyIdle();
      }
    };
  }

  private notifyIdle(): void {
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  private guard(signal: AbortSignal, dispatch: Dispatch<unknown>): Dispatch<unknown> {
    return (action) => {
      if (!signal.aborted) dispatch(action);
    };
  }

  private startTask(context: Context, body: (signal: AbortSignal, dispatch: Dispatch<unknown>) => unknown): void {
    const link = linkedAbort(context.signal);
    const release = this.acquire(context.groups, true);
    const finish = () => {
      link.dispose();
      release();
    };
    link.signal.addEventListener('abort', release, { once: true });
    let result: unknown;
    try {
      result = body(link.signal, this.guard(link.signal, context.dispatch));
    } catch (error) {
      if (!link.signal.aborted) this.onError(error, { source: 'effect' });
      finish();
      return;
    }
    if (!isThenable(result)) {
      finish();
      return;
    }
    result.then(finish, (error: unknown) => {
      // Work that fails because it was cancelled is not an error anyone needs to hear about.
      if (!link.signal.aborted) this.onError(error, { source: 'effect' });
      finish();
    });
  }

  private runInGroup(id: EffectId, effect: Effect<unknown>, context: Context, mode: 'replace' | 'join'): void {
    let group = this.groups.get(id);
    if (group && mode === 'replace') {
      this.groups.delete(id);
      group.dispose();
      group.controller.abort(new CancellationError(`Effect "${String(id)}" was replaced`));
      group = undefined;
    }
    if (!group) {
      const link = linkedAbort(context.signal);
      group = { id, controller: link.controller, dispose: link.dispose, tasks: 0 };
      this.groups.set(id, group);
    }
    const inner: Context = { ...context, signal: group.controller.signal, groups: [...context.groups, group] };
    this.run(effect, inner);
    if (group.tasks === 0 && this.groups.get(id) === group) {
      this.groups.delete(id);
      group.dispose();
    }
  }

  private cancel(id: EffectId): void {
    const reason = new CancellationError(`Effect "${String(id)}" was cancelled`);
    const group = this.groups.get(id);
    if (group) {
      this.groups.delete(id);
      group.dispose();
      group.controller.abort(reason);
    }
    const throttle = this.throttles.get(id);
    if (throttle) {
      this.throttles.delete(id);
      this.clock.clearTimeout(throttle.timer);
      throttle.trailing?.release();
    }
    this.subscriptions.get(id)?.abort(reason);
  }

  private delay(ms: number, effect: Effect<unknown>, context: Context): void {
    const link = linkedAbort(context.signal);
    const release = this.acquire(context.groups, true);
    const timer = this.clock.setTimeout(() => {
      if (link.signal.aborted) return;
      link.dispose();
      // Run the delayed effect before releasing, so in-flight never touches zero in between.
      this.run(effect, context);
      release();
    }, ms);
    link.signal.addEventListener(
      'abort',
      () => {
        this.clock.clearTimeout(timer);
        release();
      },
      { once: true },
    );
  }

  private throttle(id: EffectId, ms: number, effect: Effect<unknown>, context: Context): void {
    const existing = this.throttles.get(id);
    if (existing) {
      existing.trailing?.release();
      existing.trailing = { effect, context, release: this.acquire([], true) };
      return;
    }
    this.runInGroup(id, effect, context, 'join');
    this.openThrottleWindow(id, ms);
  }

  private openThrottleWindow(id: EffectId, ms: number): void {
    const timer = this.clock.setTimeout(() => {
      const throttle = this.throttles.get(id);
      if (!throttle || throttle.timer !== timer) return;
      this.throttles.delete(id);
      const trailing = throttle.trailing;
      if (!trailing) return;
      if (!trailing.context.signal.aborted) {
        this.runInGroup(id, trailing.effect, trailing.context, 'join');
        this.openThrottleWindow(id, ms);
      }
      trailing.release();
    }, ms);
    this.throttles.set(id, { timer });
  }

  private subscribe(id: EffectId, start: (dispatch: Dispatch<unknown>) => (() => void) | void, context: Context): void {
    this.subscriptions.get(id)?.abort(new CancellationError(`Subscription "${String(id)}" was replaced`));
    const link = linkedAbort(context.signal);
    const release = this.acquire(context.groups, false);
    this.subscriptions.set(id, link.controller);
    let cleanup: (() => void) | void = undefined;
    const stop = () => {
      if (this.subscriptions.get(id) === link.controller) this.subscriptions.delete(id);
      link.dispose();
      release();
      try {
        cleanup?.();
      } catch (error) {
        this.onError(error, { source: 'subscription' });
      }
    };
    link.signal.addEventListener('abort', stop, { once: true });
    try {
      cleanup = start(this.guard(link.signal, context.dispatch));
    } catch (error) {
      this.onError(error, { source: 'subscription' });
      link.controller.abort(new CancellationError(`Subscription "${String(id)}" failed to start`));
    }
    // The subscription may have been cancelled while it started; its cleanup must still run.
    if (link.signal.aborted && cleanup) {
      const late = cleanup;
      cleanup = undefined;
      try {
        late();
      } catch (error) {
        this.onError(error, { source: 'subscription' });
      }
    }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}
