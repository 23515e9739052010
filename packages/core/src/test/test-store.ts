import { isMockClock, type MockClock } from '../dependencies/clock.js';
import { testDependencies, UnimplementedDependencyError } from '../dependencies/dependencies.js';
import { createStoreWithInternals } from '../store/create-store.js';
import type { ProvidedDependencies, Reducer } from '../store/types.js';
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
  /**
   * The reducer's dependencies. Built-in ones left out get test values: a mock clock that only
   * `advanceTime` moves, and `uuid`, `fetch` and `random` that fail the test when used.
   */
  readonly dependencies?: ProvidedDependencies<D>;
  /** 'on' (default): every state change and received action must be asserted. See the README. */
  readonly exhaustivity?: Exhaustivity;
  /** How long `receive` and `finish` wait for effects, in real milliseconds. Default 1000. */
  readonly timeoutMs?: number;
}

/**
 * Which received action to expect. A string matches an action that is that string, or an object
 * action whose `type` is that string; any other value matches an action deeply equal to it; a
 * function is a predicate.
 */
export type ActionMatcher<A> = A | string | ((action: A) => boolean);

/**
 * The expected state after a step, from the state before it: a function returning the new state,
 * a function mutating the draft it is given (returning nothing), or an object of the top-level
 * properties that changed.
 */
export type Expectation<S> = ((state: S) => S | void) | Partial<S>;

export interface TestStore<S, A> {
  /** The state as asserted so far: it advances one asserted step at a time. */
  readonly state: S;
  readonly clock: MockClock;
  send(action: A, expected?: Expectation<S>): Promise<void>;
  receive(matcher: ActionMatcher<A>, expected?: Expectation<S>): Promise<void>;
  advanceTime(ms: number): Promise<void>;
  /** Forgets the actions received but not yet asserted; the state moves to the latest one. */
  skipReceivedActions(): Promise<void>;
  /** Cancels every effect, timer and subscription still running, so `finish()` does not wait for them. */
  skipInFlightEffects(): Promise<void>;
  finish(): Promise<void>;
}

interface Step<S, A> {
  readonly action: A;
  readonly before: S;
  readonly after: S;
}

/** Lets resolved promises and their continuations run, so effects get to dispatch. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A copy a mutating expectation may change freely; the state itself when it cannot be copied. */
function draftOf<S>(state: S): S {
  try {
    return structuredClone(state);
  } catch {
    return state;
  }
}

function apply<S>(expected: Expectation<S>, base: S): S {
  if (typeof expected === 'function') {
    const draft = draftOf(base);
    const returned = (expected as (state: S) => S | void)(draft);
    return returned === undefined ? draft : returned;
  }
  if (isPlainObject(expected) && isPlainObject(base)) return { ...base, ...expected } as S;
  return expected as S;
}

export function matchesAction<A>(matcher: ActionMatcher<A>, action: A): boolean {
  if (typeof matcher === 'function') return (matcher as (action: A) => boolean)(action);
  if (typeof matcher === 'string') {
    return typeof action === 'string' ? action === matcher : (action as { type?: unknown })?.type === matcher;
  }
  return deepEqual(matcher, action);
}

function describeMatcher<A>(matcher: ActionMatcher<A>): string {
  if (typeof matcher === 'function') return 'an action matching the predicate';
  if (typeof matcher === 'string') return `the action "${matcher}" (or an action of type "${matcher}")`;
  return show(matcher);
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * Drives a real store and checks it step by step, as TCA's TestStore does: every action the test
 * sends and every action an effect feeds back is one step with its own state; time only moves
 * when the test says so; nothing may be left running at the end.
 */
export function createTestStore<S, A, D = unknown>(config: TestStoreConfig<S, A, D>): TestStore<S, A> {
  const exhaustive = (config.exhaustivity ?? 'on') === 'on';
  const timeoutMs = config.timeoutMs ?? 1000;
  const given = config.dependencies as { clock?: unknown } | undefined;
  if (given?.clock !== undefined && !isMockClock(given.clock)) {
    throw new TestStoreFailure(
      'createTestStore: dependencies.clock must be a mock clock (createMockClock()) so the test controls time',
    );
  }
  const failures: unknown[] = [];
  const defaults = testDependencies((error: UnimplementedDependencyError) => failures.push(error));
  const clock = (given?.clock as MockClock | undefined) ?? defaults.clock;

  const received: Step<S, A>[] = [];
  let asserted = config.initialState;
  let sending = false;
  let sent: Step<S, A> | undefined;
  const recordingReducer: Reducer<S, A, D> = (state, action, deps) => {
    const fromSend = sending;
    sending = false;
    const result = config.reducer(state, action, deps);
    const step = { action, before: state, after: result[0] };
    if (fromSend) sent = step;
    else received.push(step);
    return result;
  };
  const [store, { runtime }] = createStoreWithInternals<S, A, D>(
    {
      initialState: config.initialState,
      reducer: recordingReducer,
      ...(config.dependencies !== undefined ? { dependencies: config.dependencies } : {}),
      onEffectError: (error) => failures.push(error),
    },
    { defaults: { ...defaults, clock } },
  );

  const checkFailures = () => {
    if (failures.length === 0) return;
    const error = failures.shift();
    if (error instanceof UnimplementedDependencyError) throw new TestStoreFailure(error.message);
    throw new TestStoreFailure(
      `An effect threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  };

  const checkStep = (what: string, previous: S, step: Step<S, A>, expected: Expectation<S> | undefined) => {
    const actual = step.after;
    if (expected === undefined) {
      if (exhaustive && !deepEqual(previous, actual)) {
        throw new TestStoreFailure(
          `State changed after ${what}, but no expectation was given. Changes:\n  ${differences(previous, actual).join('\n  ')}`,
        );
      }
      return;
    }
    // Exhaustive: the whole state, built from the previous one. Off: only what the expectation sets.
    const wanted = apply(expected, exhaustive ? previous : actual);
    if (!deepEqual(wanted, actual)) {
      throw new TestStoreFailure(
        `State after ${what} does not match the expectation:\n  ${differences(wanted, actual).join('\n  ')}`,
      );
    }
    if (deepEqual(step.before, actual)) {
      throw new TestStoreFailure(
        `Expected state to change after ${what}, but no change occurred. Omit the expectation when nothing should change.`,
      );
    }
  };

  const unreceived = () => received.map((step) => show(step.action)).join(', ');

  const skipReceived = () => {
    if (received.length === 0) return;
    asserted = received.at(-1)!.after;
    received.length = 0;
  };

  return {
    get state() {
      return asserted;
    },
    clock,

    async send(action, expected) {
      checkFailures();
      if (received.length > 0) {
        if (exhaustive) {
          throw new TestStoreFailure(
            `Must receive ${plural(received.length, 'action')} before sending ${show(action)}. Unreceived: ${unreceived()}`,
          );
        }
        skipReceived();
      }
      sending = true;
      sent = undefined;
      try {
        store.dispatch(action);
      } finally {
        sending = false;
      }
      const step = sent as Step<S, A> | undefined;
      if (!step) throw new TestStoreFailure(`Cannot send ${show(action)}: the TestStore has finished`);
      const previous = asserted;
      asserted = step.after;
      checkStep(`sending ${show(action)}`, previous, step, expected);
      await flush();
      checkFailures();
    },

    async receive(matcher, expected) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        checkFailures();
        const index = exhaustive
          ? received.length > 0
            ? 0
            : -1
          : received.findIndex((step) => matchesAction(matcher, step.action));
        if (index >= 0) {
          const step = received[index]!;
          if (!matchesAction(matcher, step.action)) {
            throw new TestStoreFailure(
              `Expected to receive ${describeMatcher(matcher)}, but received ${show(step.action)}.` +
                (received.length > 1
                  ? ` Also waiting: ${received
                      .slice(1)
                      .map((s) => show(s.action))
                      .join(', ')}`
                  : ''),
            );
          }
          received.splice(0, index + 1);
          const previous = index > 0 ? step.before : asserted;
          asserted = step.after;
          checkStep(`receiving ${show(step.action)}`, previous, step, expected);
          return;
        }
        const { inFlight, subscriptions } = runtime.stats();
        // As in TCA, with nothing in flight there is nothing to wait for: fail at once.
        if (Date.now() >= deadline || (inFlight === 0 && subscriptions.length === 0)) {
          const seen = received.length > 0 ? `Received instead: ${unreceived()}.` : 'No action was received.';
          const timers = clock.pendingTimers();
          throw new TestStoreFailure(
            `Expected to receive ${describeMatcher(matcher)}` +
              (inFlight > 0 || subscriptions.length > 0
                ? ` within ${timeoutMs} ms. `
                : ', but no effect is running. ') +
              `${seen} ` +
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
      checkFailures();
    },

    async skipReceivedActions() {
      await flush();
      checkFailures();
      skipReceived();
    },

    async skipInFlightEffects() {
      await flush();
      runtime.cancelAll();
      checkFailures();
    },

    async finish() {
      try {
        await flush();
        checkFailures();
        if (!exhaustive) return;
        // Work waiting on the mock clock never ends by itself; only running work is worth waiting for.
        const deadline = Date.now() + timeoutMs;
        const running = () => runtime.stats().inFlight - runtime.stats().waiting;
        while (running() > 0 && Date.now() < deadline) await flush();
        checkFailures();
        const { inFlight, waiting, subscriptions } = runtime.stats();
        const problems: string[] = [];
        if (received.length > 0) {
          problems.push(`${received.length} received action(s) were not asserted: ${unreceived()}`);
        }
        if (inFlight - waiting > 0) problems.push(`${inFlight - waiting} effect(s) are still running`);
        if (waiting > 0) {
          problems.push(`${waiting} effect(s) wait on timer(s) pending on the mock clock; advance time or cancel them`);
        }
        if (subscriptions.length > 0) {
          problems.push(
            `subscription(s) still active: ${subscriptions.map((id) => String(id)).join(', ')}; cancel them`,
          );
        }
        if (problems.length > 0)
          throw new TestStoreFailure(`TestStore.finish() failed:\n  - ${problems.join('\n  - ')}`);
      } finally {
        store.destroy();
      }
    },
  };
}
