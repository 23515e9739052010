import { afterEach, describe, expect, it, vi } from 'vitest';
import { combine, combineReducers, createStore, Effect, forEach, ifLet, scope, type Reducer } from '../src/index.js';

type Counter = { count: number };
type CounterAction = { type: 'increment' } | { type: 'incrementLater' };
const counter: Reducer<Counter, CounterAction> = (state, action) =>
  action.type === 'increment'
    ? [{ count: state.count + 1 }, Effect.none()]
    : [state, Effect.run<CounterAction>(async (d) => d({ type: 'increment' }))];

afterEach(() => vi.restoreAllMocks());

describe('scope', () => {
  type App = { counter: Counter; clicks: number };
  type AppAction = { type: 'counter'; action: CounterAction } | { type: 'click' };
  const app = combine<App, AppAction, unknown>(
    scope({ state: 'counter', action: 'counter', reducer: counter }),
    (state, action) =>
      action.type === 'click' ? [{ ...state, clicks: state.clicks + 1 }, Effect.none()] : [state, Effect.none()],
  );

  it('routes child actions to the child slice and lifts its effects back to parent actions', async () => {
    const store = createStore<App, AppAction>({ initialState: { counter: { count: 0 }, clicks: 0 }, reducer: app });
    store.dispatch({ type: 'counter', action: { type: 'increment' } });
    store.dispatch({ type: 'click' });
    store.dispatch({ type: 'counter', action: { type: 'incrementLater' } });
    await store.settled();
    expect(store.state).toEqual({ counter: { count: 2 }, clicks: 1 });
  });

  it('keeps the parent state identity when the child did not change', () => {
    const initial: App = { counter: { count: 0 }, clicks: 0 };
    const [next] = scope<App, AppAction, Counter, CounterAction, unknown>({
      state: 'counter',
      action: 'counter',
      reducer: (s) => [s, Effect.none()],
    })(initial, { type: 'counter', action: { type: 'increment' } }, undefined);
    expect(next).toBe(initial);
  });

  it('accepts an explicit lens and prism', () => {
    type P = { nested: { c: Counter } };
    type PA = { kind: 'child'; inner: CounterAction };
    const reducer = scope<P, PA, Counter, CounterAction, unknown>({
      state: { get: (p) => p.nested.c, set: (p, c) => ({ nested: { c } }) },
      action: { embed: (inner) => ({ kind: 'child', inner }), extract: (pa) => pa.inner },
      reducer: counter,
    });
    expect(
      reducer({ nested: { c: { count: 1 } } }, { kind: 'child', inner: { type: 'increment' } }, undefined)[0],
    ).toEqual({ nested: { c: { count: 2 } } });
  });
});

describe('combineReducers', () => {
  it('gives each key its slice and every action, and keeps identity when nothing changed', () => {
    type S = { a: number; b: string[] };
    type A = { type: 'add'; value: string } | { type: 'noop' };
    const reducer = combineReducers<S, A, unknown>({
      a: (n, action) => [action.type === 'add' ? n + 1 : n, Effect.none()],
      b: (list, action) => [action.type === 'add' ? [...list, action.value] : list, Effect.none()],
    });
    const initial = { a: 0, b: [] };
    const [after] = reducer(initial, { type: 'add', value: 'x' }, undefined);
    expect(after).toEqual({ a: 1, b: ['x'] });
    expect(reducer(initial, { type: 'noop' }, undefined)[0]).toBe(initial);
  });
});

describe('forEach', () => {
  type Todo = { id: number; done: boolean; saved: boolean };
  type TodoAction = { type: 'toggle' } | { type: 'save' } | { type: 'saved' };
  const todo: Reducer<Todo, TodoAction> = (state, action) => {
    switch (action.type) {
      case 'toggle':
        return [{ ...state, done: !state.done }, Effect.none()];
      case 'save':
        return [state, Effect.run<TodoAction>(async (d) => d({ type: 'saved' }))];
      case 'saved':
        return [{ ...state, saved: true }, Effect.none()];
    }
  };
  type S = { todos: Todo[] };
  type A = { type: 'todo'; id: number; action: TodoAction };
  const reducer = forEach<S, A, Todo, TodoAction, unknown>({ state: 'todos', action: 'todo', reducer: todo });

  it('updates the element with that id and routes its effects back to the same element', async () => {
    const store = createStore<S, A>({
      initialState: {
        todos: [
          { id: 1, done: false, saved: false },
          { id: 2, done: false, saved: false },
        ],
      },
      reducer,
    });
    store.dispatch({ type: 'todo', id: 2, action: { type: 'toggle' } });
    store.dispatch({ type: 'todo', id: 2, action: { type: 'save' } });
    await store.settled();
    expect(store.state.todos).toEqual([
      { id: 1, done: false, saved: false },
      { id: 2, done: true, saved: true },
    ]);
  });

  it('ignores actions for a missing element with a development warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const initial = { todos: [] };
    expect(reducer(initial, { type: 'todo', id: 9, action: { type: 'toggle' } }, undefined)[0]).toBe(initial);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('element 9, which is not in the collection'));
  });
});

describe('ifLet', () => {
  type S = { detail: Counter | null };
  type A = { type: 'detail'; action: CounterAction };
  const reducer = ifLet<S, A, Counter, CounterAction, unknown>({ state: 'detail', action: 'detail', reducer: counter });

  it('runs the child while its state is present', () => {
    expect(reducer({ detail: { count: 1 } }, { type: 'detail', action: { type: 'increment' } }, undefined)[0]).toEqual({
      detail: { count: 2 },
    });
  });

  it('ignores actions while the child is absent, with a development warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const initial = { detail: null };
    const [next, effect] = reducer(initial, { type: 'detail', action: { type: 'incrementLater' } }, undefined);
    expect(next).toBe(initial);
    expect(effect.kind).toBe('none');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('"incrementLater"'));
  });

  it('drops the response of an effect whose child was dismissed meanwhile', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    type PA = A | { type: 'close' };
    const app = combine<S, PA, unknown>(reducer as Reducer<S, PA, unknown>, (state, action) => [
      action.type === 'close' ? { detail: null } : state,
      Effect.none(),
    ]);
    const store = createStore<S, PA>({ initialState: { detail: { count: 0 } }, reducer: app });
    store.dispatch({ type: 'detail', action: { type: 'incrementLater' } });
    store.dispatch({ type: 'close' });
    await store.settled();
    expect(store.state).toEqual({ detail: null });
  });
});
