import { describe, expect, it, vi } from 'vitest';
import { createStore, Effect, type Reducer } from '../src/index.js';

type State = { count: number };
type Action = { type: 'increment' } | { type: 'boom' } | { type: 'set'; value: number };

const reducer: Reducer<State, Action> = (state, action) => {
  switch (action.type) {
    case 'increment':
      return [{ count: state.count + 1 }, Effect.none()];
    case 'set':
      return [{ count: action.value }, Effect.none()];
    case 'boom':
      throw new Error('reducer exploded');
  }
};

describe('store contract', () => {
  it('exposes the current state and updates it synchronously on dispatch', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    store.dispatch({ type: 'increment' });
    store.dispatch({ type: 'increment' });
    expect(store.state).toEqual({ count: 2 });
  });

  it('follows the Svelte store contract: called at once, then on every change, until unsubscribed', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    const seen: number[] = [];
    const unsubscribe = store.subscribe((state) => seen.push(state.count));
    expect(seen).toEqual([0]);
    store.dispatch({ type: 'increment' });
    unsubscribe();
    store.dispatch({ type: 'increment' });
    expect(seen).toEqual([0, 1]);
  });

  it('does not notify when the reducer returns the same state', () => {
    const store = createStore({ initialState: { count: 0 }, reducer: (s: State) => [s, Effect.none()] as const });
    const listener = vi.fn();
    store.subscribe(listener);
    store.dispatch({ type: 'increment' } as never);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps the previous state when a reducer throws, and surfaces the error to the caller', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    store.dispatch({ type: 'set', value: 5 });
    const listener = vi.fn();
    store.subscribe(listener);
    expect(() => store.dispatch({ type: 'boom' })).toThrow('reducer exploded');
    expect(store.state).toEqual({ count: 5 });
    expect(listener).toHaveBeenCalledTimes(1);
    store.dispatch({ type: 'increment' });
    expect(store.state).toEqual({ count: 6 });
  });

  it('notifies every listener even when one throws, then reports the error', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    const after = vi.fn();
    store.subscribe((state) => {
      if (state.count === 1) throw new Error('listener failed');
    });
    store.subscribe(after);
    expect(() => store.dispatch({ type: 'increment' })).toThrow('listener failed');
    expect(after).toHaveBeenLastCalledWith({ count: 1 });
    expect(store.state).toEqual({ count: 1 });
  });

  it('passes dependencies to the reducer, with live built-in ones where none were given', () => {
    const seen: Record<string, unknown>[] = [];
    const deps = { api: 'x', random: () => 0.5 };
    const store = createStore({
      initialState: 0,
      reducer: (s: number, _a: { type: 'go' }, d: typeof deps) => {
        seen.push(d);
        return [s, Effect.none()] as const;
      },
      dependencies: deps,
    });
    store.dispatch({ type: 'go' });
    expect(seen[0]).toMatchObject(deps);
    expect(seen[0]!.random).toBe(deps.random);
    expect(Object.keys(seen[0]!).sort()).toEqual(['api', 'clock', 'fetch', 'queries', 'random', 'uuid']);
  });

  it('ignores dispatches after destroy', () => {
    const store = createStore({ initialState: { count: 0 }, reducer });
    store.destroy();
    store.dispatch({ type: 'increment' });
    expect(store.state).toEqual({ count: 0 });
  });
});
