import { describe, expect, it } from 'vitest';
import { createTestStore } from '../src/index.js';
import {
  ControlledApi,
  initialState,
  post,
  reducer,
  STALE_TIME,
  type Action,
  type Deps,
  type State,
} from './query-fixtures.js';

describe('Effect.query serves cached data and revalidates when stale', () => {
  it('serves a fresh answer from the cache at once, without a request', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.advanceTime(STALE_TIME - 1);
    await store.send({ type: 'open', id: 1 });
    await store.receive({ type: 'loaded', post: post(1), cached: true });
    expect(api.calls).toHaveLength(1);
    await store.finish();
  });

  it('once stale, dispatches the cached answer at once and then the fresh one when it arrives', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.advanceTime(STALE_TIME);
    await store.send({ type: 'open', id: 1 });
    await store.receive({ type: 'loaded', post: post(1), cached: true });
    expect(api.calls).toHaveLength(2);
    api.last().resolve(post(1, 'Post 1, revised'));
    await store.receive(
      { type: 'loaded', post: post(1, 'Post 1, revised'), cached: false },
      {
        posts: { 1: post(1, 'Post 1, revised') },
      },
    );
    await store.finish();
  });
});
