/**
 * The forms, the member pages' data and the live channel are lazy features
 * (src/shared/features.ts): nothing here loads them beforehand, as in a browser whose first page
 * never showed them. A navigation to a form asks for its CSRF token and for the form's chunk
 * together, so the token lands in the form however quickly the server answers; a navigation to a
 * member page waits for the member feature, which then loads what the page lacks.
 */
import { describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createStore, createTestStore } from '@composable-svelte/core';
import { initialAccountState } from '../src/shared/account.js';
import type { AdminUser } from '../src/shared/admin.js';
import type { BlogApi, BlogDependencies } from '../src/shared/api.js';
import { blogReducer } from '../src/shared/reducer.js';
import { initialBlogState, type BlogAction, type BlogState, type Page } from '../src/shared/state.js';

const ORIGIN = 'https://blog.example.com';
const TOKEN = 'token-from-the-server';
const USERS: AdminUser[] = [
  { id: 1, name: 'Ada', email: 'ada@example.org', roles: ['admin'], createdAt: '2025-01-01' },
];

function setup(page: Page, signedIn = false) {
  const clock = createMockClock({ now: 0 });
  // The token comes at once, while the form's chunk is still on its way; the post and its comments never do.
  const never = () => new Promise<never>(() => {});
  const api = {
    csrfToken: async () => TOKEN,
    getPost: never,
    listComments: never,
    adminUsers: async () => USERS,
  } as unknown as BlogApi;
  return createTestStore<BlogState, BlogAction, BlogDependencies>({
    initialState: initialBlogState(
      page,
      ORIGIN,
      signedIn ? initialAccountState(true, { id: 1, name: 'Ada', roles: ['admin'] }) : undefined,
    ),
    reducer: blogReducer,
    dependencies: { api, clock, queries: createQueryCache({ clock }) },
    exhaustivity: 'off',
  });
}

describe('lazy features', () => {
  it("leave a form's actions alone until its chunk is in", async () => {
    const store = setup({ route: 'subscribe', params: {}, query: {} });
    await store.send({ type: 'subscribeFieldChanged', field: 'name', value: 'Ada' });
    expect(store.state.subscribe.name).toBe('');
  });

  it('give the subscribe form the token its page asked for, once the form is loaded', async () => {
    const store = setup({ route: 'notFound', path: '/' });
    await store.send({ type: 'navigate', page: { route: 'subscribe', params: {}, query: {} } });
    await store.receive({ type: 'csrfTokenLoaded', token: TOKEN });
    expect(store.state.subscribe.csrfToken).toBe(TOKEN);
    expect(store.state.load).toEqual({ status: 'ready' });
    // Loaded now: the form reduces what is typed.
    await store.send({ type: 'subscribeFieldChanged', field: 'name', value: 'Ada' });
    expect(store.state.subscribe.name).toBe('Ada');
  });

  it('give the comment form the token its page asked for, once the form is loaded', async () => {
    const store = setup({ route: 'notFound', path: '/' });
    const page: Page = { route: 'comments', params: { id: 1 }, query: { write: '1' } };
    await store.send({ type: 'navigate', page });
    await store.receive({ type: 'csrfTokenLoaded', token: TOKEN });
    expect(store.state.commentForm.csrfToken).toBe(TOKEN);
    await store.skipInFlightEffects();
  });

  it('load a member page once the member feature is in: the page is loading until its list arrives', async () => {
    const store = setup({ route: 'notFound', path: '/' }, true);
    await store.send({ type: 'navigate', page: { route: 'adminUsers', params: {}, query: {} } });
    expect(store.state.load).toEqual({ status: 'loading' });
    await store.receive('memberPageEntered');
    await store.receive({ type: 'adminUsersLoaded', users: USERS });
    expect(store.state.admin.users).toEqual(USERS);
    expect(store.state.load).toEqual({ status: 'ready' });
  });

  it('keep a server waiting for a member page until its data is in', async () => {
    // What the server does: dispatch the navigation, await settled(), render.
    const clock = createMockClock({ now: 0 });
    const api = { adminUsers: async () => USERS } as unknown as BlogApi;
    const store = createStore<BlogState, BlogAction, BlogDependencies>({
      initialState: initialBlogState(
        { route: 'home', params: {}, query: {} },
        ORIGIN,
        initialAccountState(true, { id: 1, name: 'Ada', roles: ['admin'] }),
      ),
      reducer: blogReducer,
      dependencies: { api, clock, queries: createQueryCache({ clock }) },
    });
    store.dispatch({ type: 'navigate', page: { route: 'adminUsers', params: {}, query: {} } });
    await store.settled();
    expect(store.state.admin.users).toEqual(USERS);
    expect(store.state.load).toEqual({ status: 'ready' });
  });
});
