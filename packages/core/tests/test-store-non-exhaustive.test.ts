import { describe, expect, it } from 'vitest';
import { createTestStore, Effect, type Reducer } from '../src/index.js';

type State = { query: string; results: string[]; loading: boolean; searches: number };
type Action =
  | { type: 'queryChanged'; query: string }
  | { type: 'searchResponse'; results: string[] }
  | { type: 'tick' }
  | { type: 'startTicking' };

const reducer: Reducer<State, Action> = (state, action) => {
  switch (action.type) {
    case 'queryChanged':
      return [
        { ...state, query: action.query, loading: true, searches: state.searches + 1 },
        Effect.run<Action>(async (dispatch) => dispatch({ type: 'searchResponse', results: [action.query] })),
      ];
    case 'searchResponse':
      return [{ ...state, results: action.results, loading: false }, Effect.none()];
    case 'tick':
      return [state, Effect.none()];
    case 'startTicking':
      return [state, Effect.run<Action>(() => new Promise(() => {}))];
  }
};

const initialState: State = { query: '', results: [], loading: false, searches: 0 };
const make = () => createTestStore({ initialState, reducer, exhaustivity: 'off', timeoutMs: 100 });

describe("exhaustivity: 'off' checks only what the expectation states (TCA's non-exhaustive TestStore)", () => {
  it('applies a partial expectation to the actual state', async () => {
    const store = make();
    await store.send({ type: 'queryChanged', query: 'svelte' }, { loading: true });
    await store.receive('searchResponse', { results: ['svelte'] });
    await store.finish();
  });

  it('applies a mutating expectation to the actual state', async () => {
    const store = make();
    await store.send({ type: 'queryChanged', query: 'svelte' }, (s) => {
      s.query = 'svelte';
    });
    await store.finish();
  });

  it('still fails when what the expectation states is wrong', async () => {
    const store = make();
    await expect(store.send({ type: 'queryChanged', query: 'svelte' }, { loading: false })).rejects.toThrow(
      /state\.loading: expected false, received true/,
    );
  });

  it('fails with "expected state to change" when an expectation is given for a step that changed nothing', async () => {
    const store = make();
    await expect(store.send({ type: 'tick' }, { loading: false })).rejects.toThrow(/Expected state to change/);
  });

  it('skipReceivedActions() moves the state to the latest received action', async () => {
    const store = make();
    await store.send({ type: 'queryChanged', query: 'a' });
    await store.skipReceivedActions();
    expect(store.state.results).toEqual(['a']);
    expect(store.state.loading).toBe(false);
    await store.finish();
  });

  it('skipInFlightEffects() cancels what is still running, so an exhaustive finish passes', async () => {
    const store = createTestStore({ initialState, reducer, timeoutMs: 100 });
    await store.send({ type: 'startTicking' });
    await store.skipInFlightEffects();
    await store.finish();
  });
});
