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

const got = (value: string): Action => ({ type: 'got', value });

describe('Effect.send', () => {
  it('delivers its action synchronously, queued behind the action that returned it', () => {
    const { store, start } = setup();
    start(Effect.batch(Effect.send(got('a')), Effect.send(got('b'))));
    expect(store.state).toEqual(['a', 'b']);
  });
});

describe('Effect.concatenate', () => {
  it('starts each effect only once the previous one finished', async () => {
    const { clock, store, start } = setup();
    start(
      Effect.concatenate(
        Effect.afterDelay(
          100,
          Effect.run<Action>((dispatch) => dispatch(got('slow first'))),
        ),
        Effect.run<Action>(async (dispatch) => dispatch(got('second'))),
        Effect.send(got('third')),
      ),
    );
    expect(store.state).toEqual([]);
    clock.advance(100);
    await store.settled({ timeoutMs: 100 });
    expect(store.state).toEqual(['slow first', 'second', 'third']);
  });

  it('counts as in flight between steps and stops when its id is cancelled', async () => {
    const { clock, store, start } = setup();
    start(
      Effect.cancellable(
        'seq',
        Effect.concatenate(
          Effect.afterDelay(100, Effect.send(got('one'))),
          Effect.afterDelay(100, Effect.send(got('two'))),
        ),
      ),
    );
    clock.advance(100);
    expect(store.state).toEqual(['one']);
    await expect(store.settled({ timeoutMs: 20 })).rejects.toThrow(/1 effect is still in flight/);
    start(Effect.cancel('seq'));
    clock.advance(1000);
    expect(store.state).toEqual(['one']);
    await store.settled({ timeoutMs: 100 });
  });
});
