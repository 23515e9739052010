import { describe, expect, it } from 'vitest';
import { createTestStore } from '../src/index.js';
import {
  CACHE_TIME,
  ControlledApi,
  initialState,
  post,
  postKey,
  reducer,
  type Action,
  type Deps,
  type State,
} from './query-fixtures.js';
import { createMockClock, createQueryCache } from '../src/index.js';

describe('eviction', () => {
  it('drops an entry no query used for cacheTime, so the next query starts from nothing', async () => {
    const api = new ControlledApi();
    const clock = createMockClock();
    const queries = createQueryCache({ clock });
    const store = createTestStore<State, Action, Deps>({
      initialState,
      reducer,
      dependencies: { api, clock, queries },
    });
    await store.send({ type: 'open', id: 1 });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.advanceTime(CACHE_TIME - 1);
    expect(queries.peek(postKey(1))).toBeDefined();
    await store.advanceTime(1);
    expect(queries.peek(postKey(1))).toBeUndefined();

    await store.send({ type: 'open', id: 1 });
    expect(api.calls).toHaveLength(2);
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false });
    await store.finish();
  });

  it('counts cacheTime from the last use, not from the fetch', async () => {
    const api = new ControlledApi();
    const clock = createMockClock();
    const queries = createQueryCache({ clock });
    const store = createTestStore<State, Action, Deps>({
      initialState,
      reducer,
      dependencies: { api, clock, queries },
    });
    await store.send({ type: 'open', id: 1 });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.advanceTime(CACHE_TIME - 1);
    await store.send({ type: 'open', id: 1 });
    await store.receive({ type: 'loaded', post: post(1), cached: true });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false });
    await store.advanceTime(CACHE_TIME - 1);
    expect(queries.peek(postKey(1))).toBeDefined();
    await store.finish();
  });
});
