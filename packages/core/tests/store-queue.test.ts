import { describe, expect, it, vi } from 'vitest';
import { createStore, Effect, type Reducer, type Store } from '../src/index.js';

describe('the store reduces actions from a FIFO queue', () => {
  it('starts all effects of an action before reducing the actions they send, in the order sent', () => {
    type A = { type: 'start' } | { type: 'n'; n: number };
    const order: string[] = [];
    const reducer: Reducer<null, A> = (state, action) => {
      if (action.type === 'start') {
        order.push('start');
        return [
          state,
          Effect.batch(
            Effect.run<A>((dispatch) => {
              order.push('effect 1 starts');
              dispatch({ type: 'n', n: 2 });
              dispatch({ type: 'n', n: 3 });
            }),
            Effect.run<A>((dispatch) => {
              order.push('effect 2 starts');
              dispatch({ type: 'n', n: 4 });
            }),
          ),
        ];
      }
      order.push(`reduce ${action.n}`);
      // An action sent while reducing 2 waits behind 3 and 4.
      return [state, action.n === 2 ? Effect.run<A>((dispatch) => dispatch({ type: 'n', n: 5 })) : Effect.none()];
    };
    const store = createStore({ initialState: null, reducer });
    store.dispatch({ type: 'start' });
    expect(order).toEqual([
      'start',
      'effect 1 starts',
      'effect 2 starts',
      'reduce 2',
      'reduce 3',
      'reduce 4',
      'reduce 5',
    ]);
  });

  it('completes 100,000 actions fed back synchronously one after another, and settles', async () => {
    type A = { type: 'step' };
    const reducer: Reducer<number, A> = (count) => [
      count + 1,
      count + 1 < 100_000 ? Effect.run<A>((dispatch) => dispatch({ type: 'step' })) : Effect.none(),
    ];
    const store = createStore({ initialState: 0, reducer, onEffectError: (error) => console.error(error) });
    store.dispatch({ type: 'step' });
    expect(store.state).toBe(100_000);
    await expect(store.settled({ timeoutMs: 1000 })).resolves.toBeUndefined();
  });

  it('never loses an action dispatched while a reducer runs', () => {
    type A = { type: 'outer' } | { type: 'inner' };
    const holder: { store?: Store<string[], A> } = {};
    const reducer: Reducer<string[], A> = (log, action) => {
      if (action.type === 'outer') holder.store!.dispatch({ type: 'inner' });
      return [[...log, action.type], Effect.none()];
    };
    const store = createStore({ initialState: [] as string[], reducer });
    holder.store = store;
    store.dispatch({ type: 'outer' });
    expect(store.state).toEqual(['outer', 'inner']);
  });

  it('notifies subscribers once per drained queue, with the final state', () => {
    type A = { type: 'go' } | { type: 'more' };
    const reducer: Reducer<number, A> = (n, action) => [
      n + 1,
      action.type === 'go'
        ? Effect.run<A>((dispatch) => {
            dispatch({ type: 'more' });
            dispatch({ type: 'more' });
          })
        : Effect.none(),
    ];
    const store = createStore({ initialState: 0, reducer });
    const seen: number[] = [];
    store.subscribe((n) => seen.push(n));
    store.dispatch({ type: 'go' });
    expect(seen).toEqual([0, 3]);
  });

  it('a reducer that throws mid-queue changes nothing, the rest of the queue still runs, and nothing leaks in flight', async () => {
    type A = { type: 'go' } | { type: 'boom' } | { type: 'after' };
    const reducer: Reducer<string[], A> = (log, action) => {
      if (action.type === 'boom') throw new Error('reducer exploded');
      return [
        [...log, action.type],
        action.type === 'go'
          ? Effect.run<A>(async (dispatch) => {
              dispatch({ type: 'boom' });
              dispatch({ type: 'after' });
            })
          : Effect.none(),
      ];
    };
    const onEffectError = vi.fn();
    const store = createStore({ initialState: [] as string[], reducer, onEffectError });
    expect(() => store.dispatch({ type: 'go' })).toThrow('reducer exploded');
    expect(store.state).toEqual(['go', 'after']);
    await expect(store.settled({ timeoutMs: 100 })).resolves.toBeUndefined();
  });
});
