import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore, Effect, type Reducer } from '../src/index.js';

afterEach(() => vi.restoreAllMocks());

describe('a failing effect never stays counted in flight', () => {
  it('even when onEffectError itself throws', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const reducer: Reducer<null, { type: 'go' }> = (state) => [
      state,
      Effect.batch(
        Effect.run(async () => Promise.reject(new Error('network down'))),
        Effect.run(() => {
          throw new Error('sync failure');
        }),
      ),
    ];
    const store = createStore({
      initialState: null,
      reducer,
      onEffectError: () => {
        throw new Error('the error handler is broken too');
      },
    });
    store.dispatch({ type: 'go' });
    await expect(store.settled({ timeoutMs: 200 })).resolves.toBeUndefined();
    expect(consoleError).toHaveBeenCalledTimes(2);
  });
});
