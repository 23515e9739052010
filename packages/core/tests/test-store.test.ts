import { describe, expect, it } from 'vitest';
import { createMockClock, createTestStore, Effect, TestStoreFailure, type Reducer } from '../src/index.js';

type State = { count: number; fact: string | null; loading: boolean };
type Action =
  | { type: 'increment' }
  | { type: 'factRequested' }
  | { type: 'factLoaded'; fact: string }
  | { type: 'delayedIncrement' }
  | { type: 'startTimer' }
  | { type: 'stopTimer' }
  | { type: 'tick' };

interface Deps {
  fetchFact: (n: number, signal: AbortSignal) => Promise<string>;
}

const reducer: Reducer<State, Action, Deps> = (state, action, deps) => {
  switch (action.type) {
    case 'increment':
    case 'tick':
      return [{ ...state, count: state.count + 1 }, Effect.none()];
    case 'factRequested':
      return [
        { ...state, loading: true },
        Effect.cancellable(
          'fact',
          Effect.run(async (dispatch, { signal }) => {
            dispatch({ type: 'factLoaded', fact: await deps.fetchFact(state.count, signal) });
          }),
        ),
      ];
    case 'factLoaded':
      return [{ ...state, loading: false, fact: action.fact }, Effect.none()];
    case 'delayedIncrement':
      return [
        state,
        Effect.afterDelay(
          1000,
          Effect.run(async (d) => d({ type: 'increment' })),
        ),
      ];
    case 'startTimer':
      return [state, Effect.subscription('timer', () => () => {})];
    case 'stopTimer':
      return [state, Effect.cancel('timer')];
  }
};

const initialState: State = { count: 0, fact: null, loading: false };
const dependencies: Deps = { fetchFact: async (n) => `${n} is a good number` };

const make = (overrides: Partial<Parameters<typeof createTestStore<State, Action, Deps>>[0]> = {}) =>
  createTestStore<State, Action, Deps>({ initialState, reducer, dependencies, timeoutMs: 100, ...overrides });

describe('TestStore passes a correct script', () => {
  it('send, receive, finish', async () => {
    const store = make();
    await store.send({ type: 'increment' }, (s) => ({ ...s, count: 1 }));
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await store.receive({ type: 'factLoaded', fact: '1 is a good number' }, (s) => ({
      ...s,
      loading: false,
      fact: '1 is a good number',
    }));
    await store.finish();
  });

  it('matches received actions by type string or predicate', async () => {
    const store = make();
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await store.receive(
      (a) => a.type === 'factLoaded',
      (s) => ({ ...s, loading: false, fact: '0 is a good number' }),
    );
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await store.receive('factLoaded', (s) => ({ ...s, loading: false }));
    await store.finish();
  });

  it('controls time: nothing happens until advanceTime reaches the delay', async () => {
    const store = make();
    await store.send({ type: 'delayedIncrement' });
    await store.advanceTime(999);
    expect(store.state.count).toBe(0);
    await store.advanceTime(1);
    await store.receive({ type: 'increment' }, (s) => ({ ...s, count: 1 }));
    await store.finish();
  });

  it('uses a mock clock passed in the dependencies', async () => {
    const clock = createMockClock({ now: 5000 });
    const store = createTestStore<State, Action, Deps & { clock: typeof clock }>({
      initialState,
      reducer,
      dependencies: { ...dependencies, clock },
    });
    expect(store.clock).toBe(clock);
    await store.send({ type: 'delayedIncrement' });
    await store.advanceTime(1000);
    expect(clock.now()).toBe(6000);
    await store.receive('increment', (s) => ({ ...s, count: 1 }));
    await store.finish();
  });

  it('with exhaustivity off, skips unasserted actions and unchecked state', async () => {
    const store = make({ exhaustivity: 'off' });
    await store.send({ type: 'factRequested' });
    await store.receive('factLoaded');
    // As in TCA, sending drops the actions received but not asserted (here: the second factLoaded).
    await store.send({ type: 'factRequested' });
    await store.send({ type: 'increment' });
    expect(store.state).toEqual({ count: 1, fact: '0 is a good number', loading: false });
    await store.send({ type: 'startTimer' });
    await store.finish();
  });
});

describe('TestStore fails when it should', () => {
  it('fails on a wrong expected state, naming the path and both values', async () => {
    const store = make();
    const failure = store.send({ type: 'increment' }, (s) => ({ ...s, count: 2 }));
    await expect(failure).rejects.toBeInstanceOf(TestStoreFailure);
    await expect(make().send({ type: 'increment' }, (s) => ({ ...s, count: 2 }))).rejects.toThrow(
      /state\.count: expected 2, received 1/,
    );
  });

  it('fails when state changed but no expectation was given', async () => {
    await expect(make().send({ type: 'increment' })).rejects.toThrow(
      /State changed .* no expectation[\s\S]*state\.count: expected 0, received 1/,
    );
  });

  it('fails when a received action was not asserted before the next send', async () => {
    const store = make();
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await expect(store.send({ type: 'increment' }, (s) => ({ ...s, count: 1 }))).rejects.toThrow(
      /Must receive 1 action before sending.*factLoaded/,
    );
  });

  it('fails at finish when a received action was not asserted', async () => {
    const store = make();
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await expect(store.finish()).rejects.toThrow(/received action\(s\) were not asserted: .*factLoaded/);
  });

  it('fails when the received action is a different one', async () => {
    const store = make();
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await expect(store.receive({ type: 'increment' })).rejects.toThrow(
      /Expected to receive .*increment.*but received .*factLoaded/,
    );
  });

  it('fails after a bounded wait when nothing arrives, and says a timer is pending', async () => {
    const store = make();
    await store.send({ type: 'delayedIncrement' });
    const started = Date.now();
    await expect(store.receive('increment')).rejects.toThrow(
      /within 100 ms\. No action was received\. 1 effect\(s\) in flight, 1 timer\(s\) waiting on the mock clock/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails at finish when an effect is still running', async () => {
    const store = make({ dependencies: { fetchFact: () => new Promise(() => {}) } });
    await store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }));
    await expect(store.finish()).rejects.toThrow(/1 effect\(s\) are still running/);
  });

  it('fails at finish when a timer is pending', async () => {
    const store = make();
    await store.send({ type: 'delayedIncrement' });
    await expect(store.finish()).rejects.toThrow(/timer\(s\) pending on the mock clock/);
  });

  it('fails at finish when a subscription is still active, and passes once it is cancelled', async () => {
    const store = make();
    await store.send({ type: 'startTimer' });
    await expect(store.finish()).rejects.toThrow(/subscription\(s\) still active: timer/);
    const ok = make();
    await ok.send({ type: 'startTimer' });
    await ok.send({ type: 'stopTimer' });
    await ok.finish();
  });

  it('fails when an effect throws', async () => {
    const store = make({
      dependencies: {
        fetchFact: async () => {
          throw new Error('api down');
        },
      },
    });
    await expect(store.send({ type: 'factRequested' }, (s) => ({ ...s, loading: true }))).rejects.toThrow(
      /An effect threw: Error: api down/,
    );
  });

  it('rejects a real clock in the dependencies', () => {
    expect(() =>
      createTestStore({
        initialState,
        reducer,
        dependencies: { ...dependencies, clock: { now: Date.now, setTimeout, clearTimeout } } as Deps,
      }),
    ).toThrow(/must be a mock clock/);
  });
});
