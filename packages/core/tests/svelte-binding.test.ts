import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import { createStore, Effect, type Reducer } from '../src/index.js';
import { reactive } from '../src/svelte/index.js';

type State = { count: number };
type Action = { type: 'increment' };
const reducer: Reducer<State, Action> = (state) => [{ count: state.count + 1 }, Effect.none()];

describe('reactive()', () => {
  it('forwards dispatch, subscribe and state to the underlying store (reactivity itself is proven by the blog browser tests)', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    const bound = reactive(store);
    bound.dispatch({ type: 'increment' });
    expect(store.state).toEqual({ count: 1 });
    expect(bound.state).toBe(store.state);
    const seen: number[] = [];
    const unsubscribe = bound.subscribe((s) => seen.push(s.count));
    store.dispatch({ type: 'increment' });
    unsubscribe();
    expect(seen).toEqual([1, 2]);
    flushSync();
  });
});
