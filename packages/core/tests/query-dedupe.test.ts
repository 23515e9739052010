import { describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createStore, createTestStore, Effect } from '../src/index.js';
import { ControlledApi, initialState, post, reducer, type Action, type Deps, type State } from './query-fixtures.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('Effect.query dedupes identical queries in flight', () => {
  it('two effects of one store asking for the same key share one fetch, and both answers are dispatched', async () => {
    const api = new ControlledApi();
    const load = (deps: Deps) =>
      Effect.query(['post', 1], ({ signal }) => api.getPost(1, signal), {
        cache: deps.queries,
        toAction: (result): Action =>
          result.status === 'success'
            ? { type: 'loaded', post: result.data, cached: result.cached }
            : { type: 'failed', kind: result.error.kind, status: undefined, retryable: false },
      });
    const store = createTestStore<State, Action, Deps>({
      initialState,
      // Two features of one page asking for the same post at the same moment.
      reducer: (state, action, deps) =>
        action.type === 'open' ? [state, Effect.batch(load(deps), load(deps))] : reducer(state, action, deps),
      dependencies: { api },
    });
    await store.send({ type: 'open', id: 0 });
    expect(api.calls).toHaveLength(1);
    api.last().resolve(post(1));
    await store.receive({ type: 'loaded', post: post(1), cached: false }, { posts: { 1: post(1) } });
    await store.receive({ type: 'loaded', post: post(1), cached: false });
    await store.finish();
  });

  it('two stores given the same cache share one fetch', async () => {
    const api = new ControlledApi();
    const clock = createMockClock();
    const queries = createQueryCache({ clock });
    const a = createStore<State, Action, Deps>({ initialState, reducer, dependencies: { api, clock, queries } });
    const b = createStore<State, Action, Deps>({ initialState, reducer, dependencies: { api, clock, queries } });
    a.dispatch({ type: 'open', id: 7 });
    b.dispatch({ type: 'open', id: 7 });
    expect(api.calls).toHaveLength(1);
    api.last().resolve(post(7));
    await Promise.all([a.settled(), b.settled()]);
    expect(a.state.posts[7]).toEqual(post(7));
    expect(b.state.posts[7]).toEqual(post(7));
  });

  it('keeps the shared fetch running while one caller is left, and aborts it when the last one leaves', async () => {
    const api = new ControlledApi();
    const clock = createMockClock();
    const queries = createQueryCache({ clock });
    const a = createStore<State, Action, Deps>({ initialState, reducer, dependencies: { api, clock, queries } });
    const b = createStore<State, Action, Deps>({ initialState, reducer, dependencies: { api, clock, queries } });
    a.dispatch({ type: 'open', id: 7 });
    b.dispatch({ type: 'open', id: 7 });
    const shared = api.last();

    a.dispatch({ type: 'leave' });
    expect(shared.signal.aborted).toBe(false);
    shared.resolve(post(7));
    await b.settled();
    await tick();
    expect(b.state.posts[7]).toEqual(post(7));
    expect(a.state.posts).toEqual({});

    a.dispatch({ type: 'open', id: 8 });
    b.dispatch({ type: 'open', id: 8 });
    a.dispatch({ type: 'leave' });
    b.dispatch({ type: 'leave' });
    expect(api.last().signal.aborted).toBe(true);
    expect(queries.isFetching(['post', 8])).toBe(false);
  });
});
