import { createMockClock, isMockClock, type MockClock } from '../dependencies/clock.js';
import { createStoreWithInternals } from '../store/create-store.js';
import type { Reducer, Store } from '../store/types.js';
import { deepEqual, differences, show } from './diff.js';

export class TestStoreFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestStoreFailure';
  }
}

export type Exhaustivity = 'on' | 'off';

export interface TestStoreConfig<S, A, D> {
  readonly initialState: S;
  readonly reducer: Reducer<S, A, D>;
  /** When no `clock` is given, a mock clock is added so `advanceTime` controls timed effects. */
  readonly dependencies?: D;
  /** 'on' (default): every state change and received action must be asserted. */
  readonly exhaustivity?: Exhaustivity;
  /** How long `receive` and `finish` wait for effects, in real milliseconds. Default 1000. */
  readonly timeoutMs?: number;
}

export type ActionMatcher<A> = A | string | ((action: A) => boolean);
export type Expectation<S> = (previous: S) => S;

export interface TestStore<S, A> {
  readonly state: S;
  readonly clock: MockClock;
  send(action: A, expected?: Expectation<S>): Promise<void>;
  receive(matcher: ActionMatcher<A>, expected?: Expectation<S>): Promise<void>;
  advanceTime(ms: number): Promise<void>;
  finish(): Promise<void>;
}

interface Received<S, A> {
  readonly action: A;
  readonly before: S;
  readonly after: S;
}

/** Lets resolved promises and their continuations run, so effects get to dispatch. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function describeAction(action: unknown): string {
  return show(action);
}

/**
 * Drives a real store and checks it exhaustively: every state change is described, every action
 * an effect sends back is received in order, time only moves when the test says so, and nothing
 * is left running at the end.
 */
export function createTestStore<S, A, D = unknown>(config: TestStoreConfig<S, A, D>): TestStore<S, A> {
  const exhaustive = (config.exhaustivity ?? 'on') === 'on';
  const timeoutMs = config.timeoutMs ?? 1000;
  const given = config.dependencies as (D & { clock?: unknown }) | undefined;
  if (given?.clock !== undefined && !isMockClock(given.clock)) {
    throw new TestStoreFailure(
      'createTestStore: dependencies.clock must be a mock clock (createMockClock()) so the test controls time',
    );
  }
  const clock = (given?.clock as MockClock | undefined) ?? createMockClock();
  const dependencies = { ...(given ?? {}), clock } as D;

  const received: Received<S, A>[] = [];
  const effectErrors: unknown[] = [];
  let sending = false;
  const recordingReducer: Reducer<S, A, D> = (state, action, deps) => {
    const fromSend = sending;
    sending = false;
    const result = config.reducer(state, action, deps);
    if (!fromSend) received.push({ action, before: state, after: result[0] });
    return result;
  };
  const [store, internals] = createStoreWithInternals<S, A, D>({
    initialState: config.initialState,
    reducer: recordingReducer,
    dependencies,
    onEffectError: (error) => effectErrors.push(error),
  });

  const checkEffectErrors = () => {
    if (effectErrors.length === 0) return;
    const error = effectErrors.shift();
    throw new TestStoreFailure(
      `An effect threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  };

  const checkState = (what: string, before: S, after: S, expected: Expectation<S> | undefined) => {
    if (expected) {
      const wanted = expected(before);
      if (!deepEqual(wanted, after)) {
        throw new TestStoreFailure(
          `State after ${what} does not match the expectation:\n  ${differences(wanted, after).join('\n  ')}`,
        );
      }
    } else if (exhaustive && !deepEqual(before, after)) {
      throw new TestStoreFailure(
        `State changed after ${what}, but no expectation was given. Changes:\n  ${differences(before, after).join('\n  ')}`,
      );
    }
  };

  const matches = (matcher: ActionMatcher<A>, action: A): boolean => {
    if (typeof matcher === 'function') return (matcher as (action: A) => boolean)(action);
    if (typeof matcher === 'string') return (action as { type?: unknown })?.type === matcher;
    return deepEqual(matcher, action);
  };

  const describeMatcher = (matcher: ActionMatcher<A>): string =>
    typeof matcher === 'function'
      ? 'an action matching the predicate'
      : typeof matcher === 'string'
        ? `an action of type "${matcher}"`
        : describeAction(matcher);

  return {
    get state() {
      return store.state;
    },
    clock,

    async send(action, expected) {
      checkEffectErrors();
      if (exhaustive && received.length > 0) {
        throw new TestStoreFailure(
          `Must receive ${received.length} action${received.length === 1 ? '' : 's'} before sending ${describeAction(action)}. Unreceived: ${received.map((r) => describeAction(r.action)).join(', ')}`,
        );
      }
      const before = store.state;
      sending = true;
      try {
        store.dispatch(action);
      } finally {
        sending = false;
      }
      checkState(`sending ${describeAction(action)}`, before, store.state, expected);
      await flush();
      checkEffectErrors();
    },

    async receive(matcher, expected) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        checkEffectErrors();
        const index = exhaustive
          ? received.length > 0
            ? 0
            : -1
          : received.findIndex((r) => matches(matcher, r.action));
        if (index >= 0) {
          const [next] = received.splice(0, index + 1).slice(-1) as [Received<S, A>];
          if (!matches(matcher, next.action)) {
            throw new TestStoreFailure(
              `Expected to receive ${describeMatcher(matcher)}, but received ${describeAction(next.action)}.` +
                (received.length > 0
                  ? ` Also waiting: ${received.map((r) => describeAction(r.action)).join(', ')}`
                  : ''),
            );
          }
          checkState(`receiving ${describeAction(next.action)}`, next.before, next.after, expected);
          return;
        }
        if (Date.now() >= deadline) {
          const seen =
            received.length > 0
              ? `Received instead: ${received.map((r) => describeAction(r.action)).join(', ')}`
              : 'No action was received.';
          const { inFlight } = internals.runtime.stats();
          const timers = clock.pendingTimers();
          throw new TestStoreFailure(
            `Expected to receive ${describeMatcher(matcher)} within ${timeoutMs} ms. ${seen} ` +
              `${inFlight} effect(s) in flight` +
              (timers > 0 ? `, ${timers} timer(s) waiting on the mock clock (call advanceTime)` : '') +
              '.',
          );
        }
        await flush();
      }
    },

    async advanceTime(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advanceTime(ms) needs a finite number ≥ 0; got ${ms}`);
      const target = clock.now() + ms;
      await flush();
      // Step timer by timer, letting effects react in between, so timers they schedule are honoured.
      for (let next = clock.nextTimerAt(); next !== undefined && next <= target; next = clock.nextTimerAt()) {
        clock.advance(next - clock.now());
        await flush();
      }
      clock.advance(target - clock.now());
      await flush();
      checkEffectErrors();
    },

    async finish() {
      try {
        await flush();
        checkEffectErrors();
        if (exhaustive) {
          const { runtime } = internals;
          const deadline = Date.now() + timeoutMs;
          while (runtime.stats().inFlight > clock.pendingTimers() && Date.now() < deadline) await flush();
          const { inFlight, subscriptions } = runtime.stats();
          const problems: string[] = [];
          if (received.length > 0) {
            problems.push(
              `${received.length} received action(s) were not asserted: ${received.map((r) => describeAction(r.action)).join(', ')}`,
            );
          }
          if (inFlight > 0) {
            const timers = clock.pendingTimers();
            problems.push(
              `${inFlight} effect(s) are still running` +
                (timers > 0 ? ` (${timers} timer(s) pending on the mock clock; advance time or cancel them)` : ''),
            );
          }
          if (subscriptions.length > 0) {
            problems.push(
              `subscription(s) still active: ${subscriptions.map((id) => String(id)).join(', ')}; cancel them`,
            );
          }
          if (problems.length > 0)
            throw new TestStoreFailure(`TestStore.finish() failed:\n  - ${problems.join('\n  - ')}`);
        }
      } finally {
        store.destroy();
      }
    },
  };
}

export type { Store };
