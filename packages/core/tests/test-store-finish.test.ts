import { describe, it } from 'vitest';
import { createTestStore, Effect, type Reducer } from '../src/index.js';

type Action = { type: 'scrolled' } | { type: 'save' };

const reducer: Reducer<{ scrolls: number }, Action> = (state, action) =>
  action.type === 'scrolled'
    ? [
        { scrolls: state.scrolls + 1 },
        Effect.throttled(
          'scroll',
          1000,
          Effect.fireAndForget(() => {}),
        ),
      ]
    : [state, Effect.fireAndForget(() => new Promise((resolve) => setTimeout(resolve, 20)))];

describe('TestStore.finish()', () => {
  it('waits for running work while a throttle window is open on the mock clock', async () => {
    const store = createTestStore({ initialState: { scrolls: 0 }, reducer, timeoutMs: 2000 });
    await store.send({ type: 'scrolled' }, (s) => ({ ...s, scrolls: 1 }));
    await store.send({ type: 'save' });
    await store.finish();
  });
});
