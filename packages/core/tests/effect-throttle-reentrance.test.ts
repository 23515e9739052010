import { describe, expect, it } from 'vitest';
import { createMockClock, createStore, Effect, type Effect as EffectType, type Reducer } from '../src/index.js';

type Action = { type: 'scroll'; label: string } | { type: 'fired'; label: string };

describe('throttled', () => {
  it('a call made synchronously from inside the leading effect waits for the window', () => {
    const clock = createMockClock();
    const fired: { label: string; at: number }[] = [];
    const throttled = (label: string): EffectType<Action> =>
      Effect.throttled(
        'scroll',
        100,
        Effect.run<Action>((dispatch) => {
          dispatch({ type: 'fired', label });
          // The leading effect immediately triggers another throttled call.
          if (label === 'first') dispatch({ type: 'scroll', label: 'second' });
        }),
      );
    const reducer: Reducer<null, Action> = (state, action) => {
      if (action.type === 'scroll') return [state, throttled(action.label)];
      fired.push({ label: action.label, at: clock.now() });
      return [state, Effect.none()];
    };
    const store = createStore({ initialState: null, reducer, dependencies: { clock } });
    store.dispatch({ type: 'scroll', label: 'first' });
    expect(fired).toEqual([{ label: 'first', at: 0 }]);
    clock.advance(100);
    expect(fired).toEqual([
      { label: 'first', at: 0 },
      { label: 'second', at: 100 },
    ]);
  });
});
