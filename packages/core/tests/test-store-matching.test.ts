import { describe, expect, it } from 'vitest';
import { createTestStore, Effect, type Reducer } from '../src/index.js';

// Actions that are plain strings, next to object actions whose type is the same word.
type Action = 'request' | 'response' | { type: 'response'; ok: boolean };
type State = { responses: number };

const reducer: Reducer<State, Action> = (state, action) => {
  if (action === 'request') {
    return [
      state,
      Effect.run<Action>(async (dispatch) => {
        dispatch('response');
        dispatch({ type: 'response', ok: true });
      }),
    ];
  }
  return [{ responses: state.responses + 1 }, Effect.none()];
};

describe('receive() matches string actions and action types', () => {
  it('a string matches an action that is that string, or an object action with that type', async () => {
    const store = createTestStore({ initialState: { responses: 0 }, reducer });
    await store.send('request');
    await store.receive('response', { responses: 1 });
    await store.receive('response', { responses: 2 });
    await store.finish();
  });

  it('a full action value matches only an equal action', async () => {
    const store = createTestStore({ initialState: { responses: 0 }, reducer, timeoutMs: 100 });
    await store.send('request');
    await expect(store.receive({ type: 'response', ok: true })).rejects.toThrow(
      /Expected to receive .*"ok":true.*but received "response"/,
    );
  });
});
