import { describe, expect, it } from 'vitest';
import { createStore, Effect, type Reducer } from '../src/index.js';

describe('cancellation reasons', () => {
  it('are shared AbortError values: destroying a store does not build an error and stack trace per request', () => {
    const reasons = Array.from({ length: 2 }, () => {
      let signal: AbortSignal | undefined;
      const reducer: Reducer<null, { type: 'go' }> = (state) => [
        state,
        Effect.run((_dispatch, context) => {
          signal = context.signal;
          return new Promise(() => {});
        }),
      ];
      const store = createStore({ initialState: null, reducer });
      store.dispatch({ type: 'go' });
      store.destroy();
      return signal!.reason as { name: string; message: string };
    });
    expect(reasons[0]).toBe(reasons[1]);
    expect(reasons[0]!.name).toBe('AbortError');
    expect(reasons[0]!.message).toMatch(/destroyed/);
  });
});
