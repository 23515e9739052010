import { describe, expect, it } from 'vitest';
import { createMockClock, createStore, Effect, type Effect as EffectType, type Reducer } from '../src/index.js';

type Action = { type: 'start'; effect: EffectType<Action> } | { type: 'got'; value: string };
const reducer: Reducer<string[], Action> = (got, action) =>
  action.type === 'start' ? [got, action.effect] : [[...got, action.value], Effect.none()];

function setup() {
  const clock = createMockClock();
  const store = createStore({ initialState: [] as string[], reducer, dependencies: { clock } });
  return { clock, store, start: (effect: EffectType<Action>) => store.dispatch({ type: 'start', effect }) };
}

const deliver = (value: string) => Effect.run<Action>(async (dispatch) => dispatch({ type: 'got', value }));

describe('nesting the same cancellation id (as in TCA) does not cancel the effect itself', () => {
  it('Effect.cancellable(x, Effect.cancellable(x, work)) runs work', async () => {
    const { store, start } = setup();
    start(Effect.cancellable('x', Effect.cancellable('x', deliver('work'))));
    await store.settled({ timeoutMs: 100 });
    expect(store.state).toEqual(['work']);
  });

  it('Effect.debounced(id, ms, Effect.cancellable(id, fetch)) fetches after the delay', async () => {
    const { clock, store, start } = setup();
    start(Effect.debounced('search', 300, Effect.cancellable('search', deliver('a'))));
    start(Effect.debounced('search', 300, Effect.cancellable('search', deliver('b'))));
    clock.advance(300);
    await store.settled({ timeoutMs: 100 });
    expect(store.state).toEqual(['b']);
  });

  it('the outer id still cancels the nested work', async () => {
    const { store, start } = setup();
    let signal: AbortSignal | undefined;
    start(
      Effect.cancellable(
        'x',
        Effect.cancellable(
          'x',
          Effect.run((_dispatch, context) => {
            signal = context.signal;
            return new Promise(() => {});
          }),
        ),
      ),
    );
    expect(signal?.aborted).toBe(false);
    start(Effect.cancel('x'));
    expect(signal?.aborted).toBe(true);
    await store.settled({ timeoutMs: 100 });
  });

  it('with cancelInFlight: false, effects with the same id run side by side and one cancel stops all', async () => {
    const { store, start } = setup();
    const signals: AbortSignal[] = [];
    const pending = Effect.run<Action>((_dispatch, { signal }) => {
      signals.push(signal);
      return new Promise(() => {});
    });
    start(Effect.cancellable('x', pending, { cancelInFlight: false }));
    start(Effect.cancellable('x', pending, { cancelInFlight: false }));
    expect(signals.map((s) => s.aborted)).toEqual([false, false]);
    start(Effect.cancel('x'));
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    await store.settled({ timeoutMs: 100 });
  });
});
