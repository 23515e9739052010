import { describe, expect, it } from 'vitest';
import { combine, createStore, Effect, scope, type Reducer } from '../src/index.js';
import { reactive } from '../src/svelte/index.js';

type Counter = { count: number };
type CounterAction = { type: 'increment' };
type App = { left: Counter; right: Counter };
type AppAction = { type: 'left'; action: CounterAction } | { type: 'right'; action: CounterAction };

const counter: Reducer<Counter, CounterAction> = (state) => [{ count: state.count + 1 }, Effect.none()];
const app = combine<App, AppAction, unknown>(
  scope({ state: 'left', action: 'left', reducer: counter }),
  scope({ state: 'right', action: 'right', reducer: counter }),
);

const make = () => createStore({ initialState: { left: { count: 0 }, right: { count: 0 } }, reducer: app });

describe('store.scope()', () => {
  it("gives a child its slice, and wraps the child's actions into the parent's", () => {
    const store = make();
    const left = store.scope(
      (state) => state.left,
      (action: CounterAction): AppAction => ({ type: 'left', action }),
    );
    left.dispatch({ type: 'increment' });
    expect(left.state).toEqual({ count: 1 });
    expect(store.state).toEqual({ left: { count: 1 }, right: { count: 0 } });
  });

  it('notifies a child subscriber only when its own slice changed', () => {
    const store = make();
    const left = store.scope(
      (state) => state.left,
      (action: CounterAction): AppAction => ({ type: 'left', action }),
    );
    const seen: number[] = [];
    const unsubscribe = left.subscribe((state) => seen.push(state.count));
    store.dispatch({ type: 'right', action: { type: 'increment' } });
    store.dispatch({ type: 'left', action: { type: 'increment' } });
    store.dispatch({ type: 'right', action: { type: 'increment' } });
    expect(seen).toEqual([0, 1]);
    unsubscribe();
  });

  it('destroying a child view removes its subscriptions and leaves the parent running', () => {
    const store = make();
    const right = store.scope(
      (state) => state.right,
      (action: CounterAction): AppAction => ({ type: 'right', action }),
    );
    const seen: number[] = [];
    right.subscribe((state) => seen.push(state.count));
    right.destroy();
    store.dispatch({ type: 'right', action: { type: 'increment' } });
    expect(seen).toEqual([0]);
    expect(store.state.right.count).toBe(1);
  });

  it('a reactive store scopes to a reactive child store that follows the child slice', () => {
    const bound = reactive(make());
    const left = bound.scope(
      (state) => state.left,
      (action: CounterAction): AppAction => ({ type: 'left', action }),
    );
    const seen: number[] = [];
    left.subscribe((state) => seen.push(state.count));
    bound.dispatch({ type: 'right', action: { type: 'increment' } });
    left.dispatch({ type: 'increment' });
    expect(left.state).toEqual({ count: 1 });
    expect(seen).toEqual([0, 1]);
  });
});
