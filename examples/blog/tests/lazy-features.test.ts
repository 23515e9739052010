/**
 * The forms and the live channel are lazy features (src/shared/features.ts): nothing here loads
 * them beforehand, as in a browser whose first page never showed them. A navigation to a form asks
 * for its CSRF token and for the form's chunk together, so the token lands in the form however
 * quickly the server answers.
 */
import { describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createTestStore } from '@composable-svelte/core';
import type { BlogApi, BlogDependencies } from '../src/shared/api.js';
import { blogReducer } from '../src/shared/reducer.js';
import { initialBlogState, type BlogAction, type BlogState, type Page } from '../src/shared/state.js';

const ORIGIN = 'https://blog.example.com';
const TOKEN = 'token-from-the-server';

function setup(page: Page) {
  const clock = createMockClock({ now: 0 });
  // The token comes at once, while the form's chunk is still on its way; the post and its comments never do.
  const never = () => new Promise<never>(() => {});
  const api = { csrfToken: async () => TOKEN, getPost: never, listComments: never } as unknown as BlogApi;
  return createTestStore<BlogState, BlogAction, BlogDependencies>({
    initialState: initialBlogState(page, ORIGIN),
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
});
