import { describe, expect, it } from 'vitest';
import { createTestStore, Effect, TestStoreFailure, type Reducer } from '../src/index.js';

type State = { count: number; log: string[] };
type Action =
  { type: 'tapped' } | { type: 'response'; value: number } | { type: 'chain' } | { type: 'second' } | { type: 'third' };

const reducer: Reducer<State, Action> = (state, action) => {
  switch (action.type) {
    case 'tapped':
      // Dispatches before its first await: the response arrives while send() is still running.
      return [
        { ...state, count: state.count + 1 },
        Effect.run<Action>(async (dispatch) => dispatch({ type: 'response', value: 42 })),
      ];
    case 'response':
      return [{ ...state, count: action.value }, Effect.none()];
    case 'chain':
      return [{ ...state, log: [...state.log, 'chain'] }, Effect.send<Action>({ type: 'second' })];
    case 'second':
      return [{ ...state, log: [...state.log, 'second'] }, Effect.send<Action>({ type: 'third' })];
    case 'third':
      return [{ ...state, log: [...state.log, 'third'] }, Effect.none()];
  }
};

const make = () => createTestStore({ initialState: { count: 0, log: [] } as State, reducer, timeoutMs: 200 });

describe('TestStore asserts one step at a time', () => {
  it("send's expectation sees the state right after the sent action's own reducer", async () => {
    const store = make();
    await store.send({ type: 'tapped' }, (s) => ({ ...s, count: 1 }));
    expect(store.state.count).toBe(1);
    await store.receive({ type: 'response', value: 42 }, (s) => ({ ...s, count: 42 }));
    expect(store.state.count).toBe(42);
    await store.finish();
  });

  it('does not count a fed-back change in the send: expecting the final state there fails', async () => {
    const store = make();
    await expect(store.send({ type: 'tapped' }, (s) => ({ ...s, count: 42 }))).rejects.toThrow(
      /state\.count: expected 42, received 1/,
    );
  });

  it('every action an effect feeds back is its own received step, in order', async () => {
    const store = make();
    await store.send({ type: 'chain' }, (s) => ({ ...s, log: ['chain'] }));
    expect(store.state.log).toEqual(['chain']);
    await store.receive({ type: 'second' }, (s) => ({ ...s, log: ['chain', 'second'] }));
    expect(store.state.log).toEqual(['chain', 'second']);
    await store.receive({ type: 'third' }, (s) => ({ ...s, log: ['chain', 'second', 'third'] }));
    await store.finish();
  });

  it('accepts a mutating expectation and a partial object', async () => {
    const store = make();
    await store.send({ type: 'tapped' }, (s) => {
      s.count = 1;
    });
    await store.receive('response', { count: 42 });
    await store.finish();
  });

  it('fails when an expectation is given for a step that changed nothing', async () => {
    const unchanged = () => createTestStore({ initialState: { count: 42, log: [] } as State, reducer });
    await expect(unchanged().send({ type: 'response', value: 42 }, (s) => ({ ...s }))).rejects.toThrow(
      /Expected state to change after sending .*but no change occurred/,
    );
    await expect(unchanged().send({ type: 'response', value: 42 }, { count: 42 })).rejects.toBeInstanceOf(
      TestStoreFailure,
    );
    const store = unchanged();
    await store.send({ type: 'response', value: 42 });
    await store.finish();
  });
});
