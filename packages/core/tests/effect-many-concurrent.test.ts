import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore, Effect, type Reducer } from '../src/index.js';

const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);
afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
  vi.restoreAllMocks();
});

/**
 * The most 'abort' listeners any one AbortSignal holds at a time. Node prints
 * MaxListenersExceededWarning past 10 (Node 20 and 22; Node 24 no longer warns for AbortSignal,
 * so the count is what this test checks, and the warning is caught where Node prints it).
 */
function watchAbortListeners() {
  const counts = new WeakMap<EventTarget, number>();
  let most = 0;
  const add = EventTarget.prototype.addEventListener;
  const remove = EventTarget.prototype.removeEventListener;
  vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (this: EventTarget, ...args) {
    if (this instanceof AbortSignal && args[0] === 'abort') {
      const count = (counts.get(this) ?? 0) + 1;
      counts.set(this, count);
      most = Math.max(most, count);
    }
    return add.apply(this, args);
  });
  vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (this: EventTarget, ...args) {
    if (this instanceof AbortSignal && args[0] === 'abort') counts.set(this, (counts.get(this) ?? 1) - 1);
    return remove.apply(this, args);
  });
  return () => most;
}

describe('many effects at once', () => {
  it('run 200 concurrent effects without piling abort listeners on one signal, and print no warning', async () => {
    process.on('warning', onWarning);
    const mostListeners = watchAbortListeners();
    type A = { type: 'go' } | { type: 'done' };
    const release: (() => void)[] = [];
    const reducer: Reducer<number, A> = (done, action) => {
      if (action.type === 'done') return [done + 1, Effect.none()];
      return [
        done,
        Effect.run<A>(async (dispatch) => {
          await new Promise<void>((resolve) => release.push(resolve));
          dispatch({ type: 'done' });
        }),
      ];
    };
    const store = createStore({ initialState: 0, reducer });
    for (let n = 0; n < 200; n++) store.dispatch({ type: 'go' });
    for (const resolve of release) resolve();
    await store.settled({ timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.state).toBe(200);
    expect(mostListeners()).toBeLessThanOrEqual(10);
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });
});
