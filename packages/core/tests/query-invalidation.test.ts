import { describe, expect, it } from 'vitest';
import {
  createMockClock,
  createQueryCache,
  createStore,
  createTestStore,
  Effect,
  hashQueryKey,
  startsWithKey,
} from '../src/index.js';
import { ControlledApi, initialState, post, reducer, type Action, type Deps, type State } from './query-fixtures.js';

describe('query keys', () => {
  it('are compared structurally: arrays of JSON values, object properties in any order', () => {
    expect(hashQueryKey(['post', { id: 3, lang: 'en' }])).toBe(hashQueryKey(['post', { lang: 'en', id: 3 }]));
    expect(hashQueryKey(['post', 3])).not.toBe(hashQueryKey(['post', '3']));
    expect(startsWithKey(['post', 3, 'comments'], ['post', 3])).toBe(true);
    expect(startsWithKey(['posts'], ['post'])).toBe(false);
    expect(startsWithKey(['post'], ['post', 3])).toBe(false);
  });

  it('must be arrays', () => {
    expect(() => hashQueryKey('post' as never)).toThrow(/must be an array/);
  });
});

describe('invalidation by key prefix', () => {
  it('marks every entry under the prefix stale and leaves the others fresh', () => {
    const cache = createQueryCache({ clock: createMockClock() });
    cache.hydrate([
      { key: ['post', 1], data: 1, updatedAt: 0 },
      { key: ['post', 2], data: 2, updatedAt: 0 },
      { key: ['posts'], data: [], updatedAt: 0 },
    ]);
    expect(cache.invalidate(['post'])).toBe(2);
    expect(cache.freshness(['post', 1], 60_000)).toBe('stale');
    expect(cache.freshness(['post', 2], 60_000)).toBe('stale');
    expect(cache.freshness(['posts'], 60_000)).toBe('fresh');
  });

  it('after a successful Effect.mutate, the next query of an affected key fetches again', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.send({ type: 'rename', id: 1, title: 'Renamed' });
    await store.receive('renamed');
    expect(api.renames).toEqual([{ id: 1, title: 'Renamed' }]);

    await store.send({ type: 'open', id: 1 });
    await store.receive({ type: 'loaded', post: post(1), cached: true });
    expect(api.calls).toHaveLength(2);
    api.last().resolve(post(1, 'Renamed'));
    await store.receive(
      { type: 'loaded', post: post(1, 'Renamed'), cached: false },
      { posts: { 1: post(1, 'Renamed') } },
    );
    await store.finish();
  });

  it('an answer to a fetch started before the invalidation is delivered but never counts as fresh', async () => {
    const api = new ControlledApi();
    const store = createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
    await store.send({ type: 'open', id: 1 });
    const before = api.last();
    await store.send({ type: 'rename', id: 1, title: 'Renamed' });
    await store.receive('renamed');
    before.resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });

    await store.send({ type: 'open', id: 1 });
    expect(api.calls).toHaveLength(2);
    api.last().resolve(post(1, 'Renamed'));
    await store.receive(
      { type: 'loaded', post: post(1, 'Renamed'), cached: false },
      { posts: { 1: post(1, 'Renamed') } },
    );
    await store.finish();
  });

  it('a mutation that succeeds after its effect was cancelled still invalidates: the change happened', async () => {
    const clock = createMockClock();
    const cache = createQueryCache({ clock });
    cache.hydrate([{ key: ['post', 1], data: 1, updatedAt: 0 }]);
    let finish: () => void = () => {};
    const store = createStore({
      initialState: 0,
      reducer: (state: number, action: 'save' | 'stop' | 'saved') =>
        action === 'save'
          ? ([
              state,
              Effect.cancellable(
                'save',
                Effect.mutate(() => new Promise<void>((resolve) => (finish = resolve)), {
                  cache,
                  invalidates: [['post']],
                  toAction: (): 'saved' => 'saved',
                }),
              ),
            ] as const)
          : ([
              action === 'saved' ? state + 1 : state,
              action === 'stop' ? Effect.cancel('save') : Effect.none(),
            ] as const),
      dependencies: { clock, queries: cache },
    });
    store.dispatch('save');
    store.dispatch('stop');
    finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.freshness(['post', 1], 60_000)).toBe('stale');
    expect(store.state).toBe(0);
  });
});
