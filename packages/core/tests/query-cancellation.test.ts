import { describe, expect, it } from 'vitest';
import { createTestStore } from '../src/index.js';
import { ControlledApi, initialState, post, reducer, type Action, type Deps, type State } from './query-fixtures.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('a cancelled query', () => {
  it('aborts its fetch and never dispatches its late answer', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    const call = api.last();
    await store.send({ type: 'leave' });
    expect(call.signal.aborted).toBe(true);

    call.resolve(post(1));
    await tick();
    expect(store.state.posts).toEqual({});
    // Exhaustive: finish() fails on any action received and not asserted.
    await store.finish();
  });

  it('replaced by a query for another key (navigation), only the new answer lands and the old one is not cached', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    const first = api.last();
    await store.send({ type: 'open', id: 2 });
    expect(first.signal.aborted).toBe(true);
    first.resolve(post(1));
    api.last().resolve(post(2));
    await store.receive({ type: 'loaded', post: post(2), cached: false }, { posts: { 2: post(2) } });

    await store.send({ type: 'open', id: 1 });
    expect(api.calls).toHaveLength(3);
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, (s) => ({
      ...s,
      posts: { ...s.posts, 1: post(1) },
    }));
    await store.finish();
  });
});
