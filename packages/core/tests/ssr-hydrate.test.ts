import { describe, expect, it } from 'vitest';
import { Effect, type Reducer } from '../src/index.js';
import {
  hydrateStore,
  readSerializedState,
  serializeState,
  StateParseError,
  STATE_ELEMENT_ID,
} from '../src/ssr/index.js';

type State = { count: number; label: string };
type Action = { type: 'increment' };
const reducer: Reducer<State, Action> = (state) => [{ ...state, count: state.count + 1 }, Effect.none()];

describe('hydrateStore', () => {
  it('continues from the state the server serialized', () => {
    const serialized = serializeState({ count: 41, label: '</script><!-- \u2028' });
    const store = hydrateStore<State, Action>(serialized, { reducer });
    expect(store.state).toEqual({ count: 41, label: '</script><!-- \u2028' });
    store.dispatch({ type: 'increment' });
    expect(store.state.count).toBe(42);
  });

  it('fails clearly on a corrupted state block', () => {
    expect(() => hydrateStore('{"count":', { reducer })).toThrow(StateParseError);
  });

  it('reads the state element the server wrote, and says so when it is missing', () => {
    const doc = {
      getElementById: (id: string) =>
        id === STATE_ELEMENT_ID ? ({ textContent: '{"count":1}' } as HTMLElement) : null,
    };
    expect(readSerializedState(doc)).toBe('{"count":1}');
    expect(() => readSerializedState({ getElementById: () => null })).toThrow(/No element with id "composable-state"/);
  });
});
