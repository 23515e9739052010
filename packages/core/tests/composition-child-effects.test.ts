import { describe, expect, it } from 'vitest';
import { createMockClock, createStore, Effect, forEach, ifLet, type Reducer } from '../src/index.js';

type Timer = { id: number; ticks: number; loaded: string | null };
type TimerAction = { type: 'start' } | { type: 'tick' } | { type: 'load' } | { type: 'loaded'; value: string };

function setup() {
  const clock = createMockClock();
  const requests: { resolve: (value: string) => void; signal: AbortSignal }[] = [];
  const timer: Reducer<Timer, TimerAction> = (state, action) => {
    switch (action.type) {
      case 'start':
        return [
          state,
          Effect.afterDelay(
            1000,
            Effect.run<TimerAction>((dispatch) => dispatch({ type: 'tick' })),
          ),
        ];
      case 'tick':
        return [{ ...state, ticks: state.ticks + 1 }, Effect.none()];
      case 'load':
        return [
          state,
          Effect.run<TimerAction>(async (dispatch, { signal }) =>
            dispatch({
              type: 'loaded',
              value: await new Promise<string>((resolve) => requests.push({ resolve, signal })),
            }),
          ),
        ];
      case 'loaded':
        return [{ ...state, loaded: action.value }, Effect.none()];
    }
  };
  return { clock, requests, timer };
}

describe('child effects end with their child', () => {
  type S = { timers: Timer[] };
  type A =
    { type: 'timer'; id: number; action: TimerAction } | { type: 'remove'; id: number } | { type: 'add'; id: number };
  const parent: Reducer<S, A> = (state, action) => {
    if (action.type === 'remove') return [{ timers: state.timers.filter((t) => t.id !== action.id) }, Effect.none()];
    if (action.type === 'add')
      return [{ timers: [...state.timers, { id: action.id, ticks: 0, loaded: null }] }, Effect.none()];
    return [state, Effect.none()];
  };

  it('forEach: removing an element cancels its timers and requests; a late response never reaches a new element with the same id', async () => {
    const { clock, requests, timer } = setup();
    const store = createStore<S, A, { clock: typeof clock }>({
      initialState: {
        timers: [
          { id: 1, ticks: 0, loaded: null },
          { id: 2, ticks: 0, loaded: null },
        ],
      },
      reducer: forEach({ state: 'timers', action: 'timer', reducer: timer, parent }),
      dependencies: { clock },
    });
    store.dispatch({ type: 'timer', id: 1, action: { type: 'start' } });
    store.dispatch({ type: 'timer', id: 2, action: { type: 'start' } });
    store.dispatch({ type: 'timer', id: 1, action: { type: 'load' } });
    store.dispatch({ type: 'remove', id: 1 });
    expect(requests[0]!.signal.aborted).toBe(true);
    store.dispatch({ type: 'add', id: 1 });
    requests[0]!.resolve('stale');
    clock.advance(1000);
    await store.settled({ timeoutMs: 100 });
    expect(store.state.timers).toEqual([
      { id: 2, ticks: 1, loaded: null },
      { id: 1, ticks: 0, loaded: null },
    ]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('ifLet: setting the child to null cancels its timers and requests', async () => {
    const { clock, requests, timer } = setup();
    type P = { detail: Timer | null };
    type PA = { type: 'detail'; action: TimerAction } | { type: 'close' } | { type: 'open' };
    const store = createStore<P, PA, { clock: typeof clock }>({
      initialState: { detail: { id: 1, ticks: 0, loaded: null } },
      reducer: ifLet<P, PA, Timer, TimerAction, { clock: typeof clock }>({
        state: 'detail',
        action: 'detail',
        reducer: timer,
        parent: (state, action) => {
          if (action.type === 'close') return [{ detail: null }, Effect.none()];
          if (action.type === 'open') return [{ detail: { id: 2, ticks: 0, loaded: null } }, Effect.none()];
          return [state, Effect.none()];
        },
      }),
      dependencies: { clock },
    });
    store.dispatch({ type: 'detail', action: { type: 'start' } });
    store.dispatch({ type: 'detail', action: { type: 'load' } });
    store.dispatch({ type: 'close' });
    expect(requests[0]!.signal.aborted).toBe(true);
    store.dispatch({ type: 'open' });
    requests[0]!.resolve('stale');
    clock.advance(1000);
    await store.settled({ timeoutMs: 100 });
    expect(store.state.detail).toEqual({ id: 2, ticks: 0, loaded: null });
    expect(clock.pendingTimers()).toBe(0);
  });
});
