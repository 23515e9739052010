import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMockClock, createStore, Effect, type Effect as EffectType } from '../src/index.js';

type Action = { type: 'start'; effect: EffectType<Action> } | { type: 'fired'; label: number };

function setup() {
  const clock = createMockClock();
  const fired: { label: number; at: number }[] = [];
  const store = createStore<null, Action, { clock: typeof clock }>({
    initialState: null,
    reducer: (state, action) => {
      if (action.type === 'fired') fired.push({ label: action.label, at: clock.now() });
      return [state, action.type === 'start' ? action.effect : Effect.none()];
    },
    dependencies: { clock },
  });
  const fire = (label: number) => Effect.run<Action>((dispatch) => dispatch({ type: 'fired', label }));
  const start = (effect: EffectType<Action>) => store.dispatch({ type: 'start', effect });
  return { clock, store, fired, fire, start };
}

/** Strictly increasing call times built from positive gaps. */
const schedule = fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 30 }).map((gaps) => {
  let t = 0;
  return gaps.map((gap) => (t += gap));
});

describe('timed effects match their reference semantics for arbitrary schedules', () => {
  it('afterDelay fires each effect exactly at call time + ms', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 0, max: 1000 }), (times, ms) => {
        const { clock, fired, fire, start } = setup();
        times.forEach((t, label) => {
          clock.advance(t - clock.now());
          start(Effect.afterDelay(ms, fire(label)));
        });
        clock.advance(ms + 1);
        const expected = times
          .map((t, label) => ({ label, at: t + ms }))
          .sort((a, b) => a.at - b.at || a.label - b.label);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('debounced fires a call only when no later call comes within ms, at its time + ms', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 400 }), (times, ms) => {
        const { clock, fired, fire, start } = setup();
        times.forEach((t, label) => {
          clock.advance(t - clock.now());
          start(Effect.debounced('search', ms, fire(label)));
        });
        clock.advance(ms + 1);
        const expected = times
          .map((t, label) => ({ label, at: t + ms }))
          // A call made exactly when the previous timer falls due comes after that timer fired.
          .filter(({ label }) => label === times.length - 1 || times[label + 1]! - times[label]! >= ms);
        expect(fired).toEqual(expected);
      }),
    );
  });

  it('throttled fires leading calls at once and at most one trailing call per window', () => {
    fc.assert(
      fc.property(schedule, fc.integer({ min: 1, max: 400 }), (times, ms) => {
        const { clock, fired, fire, start } = setup();
        times.forEach((t, label) => {
          clock.advance(t - clock.now());
          start(Effect.throttled('scroll', ms, fire(label)));
        });
        clock.advance(10 * ms + 1);

        // Reference model: a window opens on a leading call or a trailing fire and lasts ms.
        const expected: { label: number; at: number }[] = [];
        let windowEnd = -Infinity;
        let trailing: number | undefined;
        const closeWindowsUpTo = (t: number) => {
          while (windowEnd <= t && windowEnd !== -Infinity) {
            if (trailing === undefined) {
              windowEnd = -Infinity;
              return;
            }
            expected.push({ label: trailing, at: windowEnd });
            trailing = undefined;
            windowEnd += ms;
          }
        };
        times.forEach((t, label) => {
          closeWindowsUpTo(t);
          if (windowEnd === -Infinity) {
            expected.push({ label, at: t });
            windowEnd = t + ms;
          } else {
            trailing = label;
          }
        });
        closeWindowsUpTo(Infinity);
        expect(fired).toEqual(expected);
      }),
    );
  });
});

describe('cancellation is absolute', () => {
  it('no effect ever dispatches after its id was cancelled or replaced, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({
              op: fc.constant('start' as const),
              id: fc.integer({ min: 0, max: 2 }),
              delay: fc.integer({ min: 0, max: 3 }),
            }),
            fc.record({ op: fc.constant('cancel' as const), id: fc.integer({ min: 0, max: 2 }) }),
            fc.record({ op: fc.constant('tick' as const) }),
          ),
          { maxLength: 40 },
        ),
        async (ops) => {
          // Each start or cancel of an id opens a new generation; an effect may only dispatch while
          // the generation it started in is still the current one.
          const generation = [0, 0, 0];
          const violations: string[] = [];
          let dispatched = 0;
          type A = { type: 'run'; effect: EffectType<A> } | { type: 'fired'; id: number; gen: number };
          const store = createStore<null, A>({
            initialState: null,
            reducer: (state, action) => {
              if (action.type === 'run') return [state, action.effect];
              dispatched++;
              if (generation[action.id] !== action.gen)
                violations.push(`id ${action.id} gen ${action.gen} fired in gen ${generation[action.id]}`);
              return [state, Effect.none()];
            },
          });
          for (const op of ops) {
            if (op.op === 'start') {
              const gen = ++generation[op.id]!;
              const { id, delay } = op;
              store.dispatch({
                type: 'run',
                effect: Effect.cancellable(
                  id,
                  Effect.run(async (dispatch) => {
                    for (let i = 0; i < delay; i++) await Promise.resolve();
                    dispatch({ type: 'fired', id, gen });
                  }),
                ),
              });
            } else if (op.op === 'cancel') {
              generation[op.id]!++;
              store.dispatch({ type: 'run', effect: Effect.cancel(op.id) });
            } else {
              await Promise.resolve();
            }
          }
          for (let id = 0; id < 3; id++) {
            generation[id]!++;
            store.dispatch({ type: 'run', effect: Effect.cancel(id) });
          }
          const before = dispatched;
          for (let i = 0; i < 10; i++) await Promise.resolve();
          expect(violations).toEqual([]);
          expect(dispatched).toBe(before);
          await store.settled({ timeoutMs: 100 });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('settled()', () => {
  it('resolves exactly when the last non-subscription effect completes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 12 }), async (delays) => {
        const { store, start } = setup();
        const resolvers: (() => void)[] = [];
        let completed = 0;
        start(Effect.subscription('live', () => () => {}));
        for (const _ of delays) {
          start(
            Effect.run(
              () =>
                new Promise<void>((resolve) =>
                  resolvers.push(() => {
                    completed++;
                    resolve();
                  }),
                ),
            ),
          );
        }
        let settledAt: number | undefined;
        const done = store.settled().then(() => (settledAt = completed));
        // Complete them in an arbitrary order, yielding between, and check settled only resolves at the end.
        const order = delays.map((d, i) => ({ d, i })).sort((a, b) => a.d - b.d || a.i - b.i);
        for (const { i } of order) {
          for (let k = 0; k < 3; k++) await Promise.resolve();
          expect(settledAt).toBeUndefined();
          resolvers[i]!();
        }
        await done;
        expect(settledAt).toBe(delays.length);
        store.destroy();
      }),
      { numRuns: 100 },
    );
  });
});
