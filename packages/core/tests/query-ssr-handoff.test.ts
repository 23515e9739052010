import { describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createStore, createTestStore, type QuerySnapshot } from '../src/index.js';
import {
  initialState,
  post,
  reducer,
  STALE_TIME,
  type Action,
  type Deps,
  type PostsApi,
  type State,
} from './query-fixtures.js';

const failingApi: PostsApi = {
  getPost: () => Promise.reject(new Error('the browser must not fetch what the server sent')),
  rename: () => Promise.resolve(),
};

describe('SSR handoff', () => {
  it('dehydrate → JSON → hydrate: the browser serves what the server fetched, with no request while fresh', async () => {
    const serverClock = createMockClock({ now: 50_000 });
    const serverCache = createQueryCache({ clock: serverClock });
    const api: PostsApi = { getPost: async (id) => post(id), rename: () => Promise.resolve() };
    const server = createStore<State, Action, Deps>({
      initialState,
      reducer,
      dependencies: { api, clock: serverClock, queries: serverCache },
    });
    server.dispatch({ type: 'open', id: 3 });
    await server.settled();
    const html = JSON.stringify({ state: server.state, queries: serverCache.dehydrate() });
    server.destroy();

    const sent = JSON.parse(html) as { state: State; queries: QuerySnapshot };
    const browserClock = createMockClock({ now: 50_000 + STALE_TIME - 1 });
    const queries = createQueryCache({ clock: browserClock });
    queries.hydrate(sent.queries);
    const browser = createTestStore<State, Action, Deps>({
      initialState: sent.state,
      reducer,
      dependencies: { api: failingApi, clock: browserClock, queries },
    });
    await browser.send({ type: 'open', id: 3 });
    await browser.receive({ type: 'loaded', post: post(3), cached: true });
    await browser.finish();
  });

  it('an answer the server sent that is stale by now is shown at once and revalidated', async () => {
    const queries = createQueryCache({ clock: createMockClock({ now: 10_000 }) });
    queries.hydrate(JSON.parse(JSON.stringify([{ key: ['post', 3], data: post(3), updatedAt: 10_000 - STALE_TIME }])));
    let requests = 0;
    const api: PostsApi = { getPost: async (id) => (requests++, post(id, 'Newer')), rename: () => Promise.resolve() };
    const browser = createTestStore<State, Action, Deps>({
      initialState,
      reducer,
      dependencies: { api, clock: createMockClock({ now: 10_000 }), queries },
    });
    await browser.send({ type: 'open', id: 3 });
    await browser.receive({ type: 'loaded', post: post(3), cached: true }, { posts: { 3: post(3) } });
    await browser.receive(
      { type: 'loaded', post: post(3, 'Newer'), cached: false },
      { posts: { 3: post(3, 'Newer') } },
    );
    expect(requests).toBe(1);
    await browser.finish();
  });

  it('hydrate keeps a newer answer the browser already has', () => {
    const queries = createQueryCache({ clock: createMockClock({ now: 100 }) });
    queries.hydrate([{ key: ['post', 1], data: 'newer', updatedAt: 90 }]);
    queries.hydrate([{ key: ['post', 1], data: 'older', updatedAt: 80 }]);
    expect(queries.peek(['post', 1])?.data).toBe('newer');
  });
});
