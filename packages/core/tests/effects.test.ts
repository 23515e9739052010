import { describe, expect, it, vi } from 'vitest';
import { createMockClock, createStore, Effect, type Effect as EffectType, type Reducer } from '../src/index.js';

type Action = { type: 'start'; effect: EffectType<Action> } | { type: 'got'; value: string };
type State = { got: string[] };

const reducer: Reducer<State, Action, unknown> = (state, action) => {
  switch (action.type) {
    case 'start':
      return [state, action.effect];
    case 'got':
      return [{ got: [...state.got, action.value] }, Effect.none()];
  }
};

function setup(onEffectError = vi.fn()) {
  const clock = createMockClock();
  const store = createStore<State, Action, { clock: typeof clock }>({
    initialState: { got: [] },
    reducer,
    dependencies: { clock },
    onEffectError,
  });
  const start = (effect: EffectType<Action>) => store.dispatch({ type: 'start', effect });
  return { clock, store, start, onEffectError };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const got = (value: string): Action => ({ type: 'got', value });

describe('Effect.run and fireAndForget', () => {
  it('dispatches from async work', async () => {
    const { store, start } = setup();
    start(Effect.run(async (dispatch) => dispatch(got('a'))));
    await store.settled();
    expect(store.state.got).toEqual(['a']);
  });

  it('reports a throwing effect through onEffectError and keeps the store working', async () => {
    const { store, start, onEffectError } = setup();
    start(Effect.run(async () => Promise.reject(new Error('network down'))));
    start(
      Effect.run(() => {
        throw new Error('sync failure');
      }),
    );
    await store.settled();
    expect(onEffectError).toHaveBeenCalledTimes(2);
    expect(onEffectError.mock.calls.map(([e]) => (e as Error).message).sort()).toEqual([
      'network down',
      'sync failure',
    ]);
    start(Effect.run(async (dispatch) => dispatch(got('still works'))));
    await store.settled();
    expect(store.state.got).toEqual(['still works']);
  });

  it('runs fire-and-forget work and waits for it in settled()', async () => {
    const { store, start } = setup();
    const done = vi.fn();
    start(
      Effect.fireAndForget(async () => {
        await Promise.resolve();
        done();
      }),
    );
    await store.settled();
    expect(done).toHaveBeenCalledOnce();
  });

  it('batch runs every effect', async () => {
    const { store, start } = setup();
    start(
      Effect.batch(
        Effect.run(async (d) => d(got('1'))),
        Effect.none(),
        Effect.run(async (d) => d(got('2'))),
      ),
    );
    await store.settled();
    expect([...store.state.got].sort()).toEqual(['1', '2']);
  });
});

describe('cancellation', () => {
  it('a new cancellable with the same id aborts the previous and drops its dispatches', async () => {
    const { store, start } = setup();
    const first = deferred();
    const signals: AbortSignal[] = [];
    start(
      Effect.cancellable(
        'load',
        Effect.run(async (dispatch, { signal }) => {
          signals.push(signal);
          await first.promise;
          dispatch(got('stale'));
        }),
      ),
    );
    start(
      Effect.cancellable(
        'load',
        Effect.run(async (dispatch) => dispatch(got('fresh'))),
      ),
    );
    expect(signals[0]!.aborted).toBe(true);
    first.resolve();
    await store.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.state.got).toEqual(['fresh']);
  });

  it('settled() waits for the work that replaces a running cancellable from inside it', async () => {
    const { store, start } = setup();
    const tick = deferred();
    const replacement = deferred();
    start(
      Effect.cancellable(
        'load',
        Effect.run(async (dispatch) => {
          await tick.promise;
          // The replacement cancels this very task before it has started counting as in flight.
          dispatch({
            type: 'start',
            effect: Effect.cancellable(
              'load',
              Effect.run(async (inner) => {
                await replacement.promise;
                inner(got('fresh'));
              }),
            ),
          });
        }),
      ),
    );
    let settled = false;
    const waiting = store.settled().then(() => (settled = true));
    tick.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    replacement.resolve();
    await waiting;
    expect(store.state.got).toEqual(['fresh']);
  });

  it('Effect.cancel aborts running work, and settled() does not wait for work that ignores its signal', async () => {
    const { store, start } = setup();
    const never = new Promise<void>(() => {});
    let signal: AbortSignal | undefined;
    start(
      Effect.cancellable(
        'slow',
        Effect.run(async (_d, context) => {
          signal = context.signal;
          await never;
        }),
      ),
    );
    start(Effect.cancel('slow'));
    expect(signal!.aborted).toBe(true);
    await expect(store.settled({ timeoutMs: 50 })).resolves.toBeUndefined();
  });

  it('a cancelled effect cannot change state even if it dispatches synchronously after abort', async () => {
    const { store, start } = setup();
    let capturedDispatch: ((a: Action) => void) | undefined;
    start(
      Effect.cancellable(
        'x',
        Effect.run((dispatch) => {
          capturedDispatch = dispatch;
          return new Promise(() => {});
        }),
      ),
    );
    start(Effect.cancel('x'));
    capturedDispatch!(got('after cancel'));
    expect(store.state.got).toEqual([]);
  });

  it('cancelling an outer id cancels nested work', async () => {
    const { store, start } = setup();
    let signal: AbortSignal | undefined;
    start(
      Effect.cancellable(
        'outer',
        Effect.cancellable(
          'inner',
          Effect.run((_d, c) => {
            signal = c.signal;
            return new Promise(() => {});
          }),
        ),
      ),
    );
    start(Effect.cancel('outer'));
    expect(signal!.aborted).toBe(true);
    await store.settled({ timeoutMs: 50 });
  });

  it('destroy aborts everything and stops subscriptions', async () => {
    const { store, start } = setup();
    const cleanup = vi.fn();
    let signal: AbortSignal | undefined;
    start(
      Effect.run((_d, c) => {
        signal = c.signal;
        return new Promise(() => {});
      }),
    );
    start(Effect.subscription('ticks', () => cleanup));
    store.destroy();
    expect(signal!.aborted).toBe(true);
    expect(cleanup).toHaveBeenCalledOnce();
  });

  it('does not report errors from work that failed because it was cancelled', async () => {
    const { store, start, onEffectError } = setup();
    start(
      Effect.cancellable(
        'f',
        Effect.run(async (_d, { signal }) => {
          await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
        }),
      ),
    );
    start(Effect.cancel('f'));
    await store.settled();
    await new Promise((r) => setTimeout(r, 0));
    expect(onEffectError).not.toHaveBeenCalled();
  });
});

describe('timed effects on the mock clock', () => {
  it('afterDelay runs after exactly ms', () => {
    const { clock, store, start } = setup();
    start(
      Effect.afterDelay(
        100,
        Effect.run((d) => d(got('later'))),
      ),
    );
    clock.advance(99);
    expect(store.state.got).toEqual([]);
    clock.advance(1);
    expect(store.state.got).toEqual(['later']);
  });

  it('debounced runs only the last call, ms after it', () => {
    const { clock, store, start } = setup();
    start(
      Effect.debounced(
        'q',
        300,
        Effect.run((d) => d(got('a'))),
      ),
    );
    clock.advance(200);
    start(
      Effect.debounced(
        'q',
        300,
        Effect.run((d) => d(got('b'))),
      ),
    );
    clock.advance(299);
    expect(store.state.got).toEqual([]);
    clock.advance(1);
    expect(store.state.got).toEqual(['b']);
  });

  it('throttled runs the first call at once and the latest one at the end of the window', () => {
    const { clock, store, start } = setup();
    start(
      Effect.throttled(
        't',
        100,
        Effect.run((d) => d(got('1'))),
      ),
    );
    start(
      Effect.throttled(
        't',
        100,
        Effect.run((d) => d(got('2'))),
      ),
    );
    start(
      Effect.throttled(
        't',
        100,
        Effect.run((d) => d(got('3'))),
      ),
    );
    expect(store.state.got).toEqual(['1']);
    clock.advance(100);
    expect(store.state.got).toEqual(['1', '3']);
    clock.advance(100);
    start(
      Effect.throttled(
        't',
        100,
        Effect.run((d) => d(got('4'))),
      ),
    );
    expect(store.state.got).toEqual(['1', '3', '4']);
  });

  it('Effect.cancel clears a pending debounce and a pending throttle trailing call', async () => {
    const { clock, store, start } = setup();
    start(
      Effect.debounced(
        'd',
        50,
        Effect.run((d) => d(got('debounced'))),
      ),
    );
    start(
      Effect.throttled(
        't',
        50,
        Effect.run((d) => d(got('lead'))),
      ),
    );
    start(
      Effect.throttled(
        't',
        50,
        Effect.run((d) => d(got('trail'))),
      ),
    );
    start(Effect.batch(Effect.cancel('d'), Effect.cancel('t')));
    clock.advance(1000);
    expect(store.state.got).toEqual(['lead']);
    await store.settled({ timeoutMs: 50 });
  });

  it('rejects negative or non-finite delays with a clear error', () => {
    expect(() => Effect.afterDelay(-1, Effect.none())).toThrow(/finite number ≥ 0/);
    expect(() => Effect.debounced('x', Number.NaN, Effect.none())).toThrow(/debounced/);
  });
});

describe('subscriptions', () => {
  it('deliver actions until cancelled, and the same id replaces the previous one', () => {
    const { store, start } = setup();
    const emitters: ((v: string) => void)[] = [];
    const cleanups = [vi.fn(), vi.fn()];
    for (const cleanup of cleanups) {
      start(
        Effect.subscription('feed', (dispatch) => {
          emitters.push((v) => dispatch(got(v)));
          return cleanup;
        }),
      );
    }
    expect(cleanups[0]).toHaveBeenCalledOnce();
    emitters[0]!('old');
    emitters[1]!('new');
    start(Effect.cancel('feed'));
    emitters[1]!('after cancel');
    expect(store.state.got).toEqual(['new']);
    expect(cleanups[1]).toHaveBeenCalledOnce();
  });

  it('are not awaited by settled()', async () => {
    const { store, start } = setup();
    start(Effect.subscription('forever', () => () => {}));
    await expect(store.settled({ timeoutMs: 20 })).resolves.toBeUndefined();
  });
});

describe('Effect.map', () => {
  it('transforms every action the effect dispatches', async () => {
    const { store, start } = setup();
    const child = Effect.run<string>(async (dispatch) => dispatch('from child'));
    start(Effect.map(child, (value) => got(`mapped ${value}`)));
    await store.settled();
    expect(store.state.got).toEqual(['mapped from child']);
  });
});

describe('settled()', () => {
  it('waits for chains: an effect whose action starts another effect', async () => {
    type S = { step: number };
    type A = { type: 'next' };
    const store = createStore<S, A>({
      initialState: { step: 0 },
      reducer: (state) => [
        { step: state.step + 1 },
        state.step < 3
          ? Effect.run<A>(async (d) => {
              await new Promise((r) => setTimeout(r, 5));
              d({ type: 'next' });
            })
          : Effect.none(),
      ],
    });
    store.dispatch({ type: 'next' });
    await store.settled({ timeoutMs: 1000 });
    expect(store.state.step).toBe(4);
  });

  it('rejects with a clear error when effects outlive the deadline', async () => {
    const { store, start } = setup();
    start(Effect.run(() => new Promise(() => {})));
    await expect(store.settled({ timeoutMs: 20 })).rejects.toThrow(
      /did not settle within 20 ms: 1 effect is still in flight/,
    );
    store.destroy();
    await expect(store.settled({ timeoutMs: 20 })).resolves.toBeUndefined();
  });

  it('resolves at once when nothing is in flight', async () => {
    const { store } = setup();
    await expect(store.settled({ timeoutMs: 0 })).resolves.toBeUndefined();
  });
});
