/**
 * The comment form in the store (TestStore): the form page asks for a CSRF token, invalid input is
 * refused before anything is sent, a comment is sent as a mutation that marks the post's comments,
 * the post and the list stale, the page asks for them again and shows the new comment, and a 400's
 * field errors land beside their fields. The subscribe form's submission is a mutation too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createTestStore, type QueryCache } from '@composable-svelte/core';
import { ApiError, type BlogApi, type BlogDependencies } from '../src/shared/api.js';
import { emptyCommentForm } from '../src/shared/comment.js';
import type { Comment, Post, PostSummary } from '../src/shared/model.js';
import { commentsKey, postKey, postsKey, STALE_TIME } from '../src/shared/queries.js';
import { loadAllFeatures } from '../src/shared/features.js';
import { blogReducer } from '../src/shared/reducer.js';
import { initialBlogState, type BlogAction, type BlogState, type Page } from '../src/shared/state.js';

// The forms and the live channel are lazy features: the store reduces their actions once they are in.
beforeAll(loadAllFeatures);

const ORIGIN = 'https://blog.example.com';
const POST: Post = {
  id: 2,
  title: 'Post 2',
  author: 'Ada',
  publishedAt: '2025-01-02T00:00:00.000Z',
  excerpt: 'Excerpt.',
  commentCount: 1,
  bodyHtml: '<p>Excerpt.</p>',
  coverUrl: null,
  authorId: null,
  updatedAt: null,
};
const { bodyHtml: _bodyHtml, ...SUMMARY } = POST;
const POSTS: readonly PostSummary[] = [SUMMARY];
const OLD: Comment = { id: 1, postId: 2, author: 'Reader', body: 'First!', createdAt: '2025-01-03T00:00:00.000Z' };
const NEW: Comment = {
  id: 7,
  postId: 2,
  author: 'Grace',
  body: 'Line one\nline two',
  createdAt: '2025-01-04T00:00:00.000Z',
};

const commentsPage = (write?: '1'): Page => ({
  route: 'comments',
  params: { id: 2 },
  query: write ? { write } : {},
});
const home: Page = { route: 'home', params: {}, query: {} };

/** Each API call waits until the test settles it. */
function deferredApi() {
  const calls: { method: string; args: unknown[]; resolve(value: unknown): void; reject(error: unknown): void }[] = [];
  const request =
    (method: string) =>
    (...args: unknown[]) =>
      new Promise<never>((resolve, reject) => {
        calls.push({ method, args, resolve: resolve as (value: unknown) => void, reject });
      });
  const api = {
    listPosts: request('listPosts'),
    getPost: request('getPost'),
    listComments: request('listComments'),
    csrfToken: request('csrfToken'),
    subscribe: request('subscribe'),
    addComment: request('addComment'),
  } as unknown as BlogApi;
  const pending = (method: string) => {
    const found = calls.filter((call) => call.method === method);
    expect(found, `pending ${method} calls`).toHaveLength(1);
    calls.splice(calls.indexOf(found[0]!), 1);
    return found[0]!;
  };
  return { api, calls, pending };
}

function setup() {
  const { api, calls, pending } = deferredApi();
  const clock = createMockClock({ now: 0 });
  const queries: QueryCache = createQueryCache({ clock });
  const store = createTestStore<BlogState, BlogAction, BlogDependencies>({
    initialState: initialBlogState({ route: 'notFound', path: '/' }, ORIGIN),
    reducer: blogReducer,
    dependencies: { api, clock, queries },
    // Loading pages is reducer.test.ts's subject: here each step asserts what the form is about.
    exhaustivity: 'off',
  });
  return { store, calls, pending, queries };
}

/** The comments page loaded through the store (so the query cache holds its answers), then its form page. */
async function onTheFormPage() {
  const context = setup();
  const { store, pending } = context;
  await store.send({ type: 'navigate', page: commentsPage() });
  pending('getPost').resolve(POST);
  pending('listComments').resolve([OLD]);
  await store.receive('postLoaded');
  await store.receive('commentsLoaded', (s) => ({ ...s, load: { status: 'ready' } }));

  await store.send({ type: 'navigate', page: commentsPage('1') }, (s) => ({
    ...s,
    page: commentsPage('1'),
    load: { status: 'loading' },
  }));
  pending('csrfToken').resolve('token-1');
  await store.receive({ type: 'csrfTokenLoaded', token: 'token-1' }, (s) => ({
    ...s,
    load: { status: 'ready' },
    subscribe: { ...s.subscribe, csrfToken: 'token-1' },
    commentForm: { ...s.commentForm, csrfToken: 'token-1' },
  }));
  return context;
}

async function fill(store: ReturnType<typeof setup>['store'], author: string, body: string) {
  await store.send({ type: 'commentFieldChanged', field: 'author', value: author });
  await store.send({ type: 'commentFieldChanged', field: 'body', value: body });
}

describe('the comment form', () => {
  it('the form page asks for a CSRF token; the plain comments page never does', async () => {
    const { store, calls } = await onTheFormPage();
    expect(store.state.commentForm).toEqual({ ...emptyCommentForm, csrfToken: 'token-1' });
    await store.send({ type: 'navigate', page: commentsPage() }, (s) => ({ ...s, page: commentsPage() }));
    expect(calls).toEqual([]);
    await store.finish();
  });

  it('refuses what the browser can tell is invalid at once, with a message per field, sending nothing', async () => {
    const { store, calls } = await onTheFormPage();
    await fill(store, '   ', 'x'.repeat(5001));
    await store.send({ type: 'commentSubmitted', postId: 2 }, (s) => ({
      ...s,
      commentForm: {
        ...s.commentForm,
        status: 'failed',
        errors: {
          author: 'Please enter your name.',
          body: 'Please keep your comment to 5000 characters or fewer.',
        },
      },
    }));
    expect(calls).toEqual([]);
    // Typing in a field clears its message.
    await store.send({ type: 'commentFieldChanged', field: 'author', value: 'Ada' }, (s) => ({
      ...s,
      commentForm: {
        ...s.commentForm,
        author: 'Ada',
        errors: { body: 'Please keep your comment to 5000 characters or fewer.' },
      },
    }));
    await store.finish();
  });

  it('sends the comment trimmed, then revalidates what it changed and shows the new comment', async () => {
    const { store, calls, pending, queries } = await onTheFormPage();
    await fill(store, '  Grace ', '  Line one\nline two  ');
    await store.send({ type: 'commentSubmitted', postId: 2 }, (s) => ({
      ...s,
      commentForm: { ...s.commentForm, status: 'submitting' },
    }));
    const sent = pending('addComment');
    expect(sent.args.slice(0, 2)).toEqual([2, { author: 'Grace', body: 'Line one\nline two', csrfToken: 'token-1' }]);
    // Submitting again while one is on its way sends nothing more.
    await store.send({ type: 'commentSubmitted', postId: 2 });
    expect(calls).toEqual([]);

    sent.resolve(NEW);
    await store.receive({ type: 'commentPosted', comment: NEW }, (s) => ({
      ...s,
      commentForm: { ...emptyCommentForm, author: '  Grace ', csrfToken: 'token-1', status: 'posted' },
    }));
    for (const key of [commentsKey(2), postKey(2)]) expect(queries.freshness(key, STALE_TIME)).toBe('stale');
    // The page shows what it has at once, then the fresh answers.
    await store.receive('postLoaded');
    await store.receive('commentsLoaded');
    const counted: Post = { ...POST, commentCount: 2 };
    pending('getPost').resolve(counted);
    pending('listComments').resolve([OLD, NEW]);
    await store.receive({ type: 'postLoaded', post: counted, updatedAt: 0 }, (s) => ({
      ...s,
      postsById: { 2: counted },
    }));
    await store.receive({ type: 'commentsLoaded', postId: 2, comments: [OLD, NEW], updatedAt: 0 }, (s) => ({
      ...s,
      commentsByPost: { 2: [OLD, NEW] },
    }));
    expect(store.state.load).toEqual({ status: 'ready' });
    await store.finish();
  });

  it('marks the list stale too: the home page asks for the posts again after a comment', async () => {
    const { store, pending, queries } = setup();
    await store.send({ type: 'navigate', page: home });
    pending('listPosts').resolve(POSTS);
    await store.receive('postsLoaded', (s) => ({ ...s, load: { status: 'ready' } }));
    await store.send({ type: 'navigate', page: commentsPage('1') });
    pending('getPost').resolve(POST);
    pending('listComments').resolve([OLD]);
    pending('csrfToken').resolve('token-1');
    await store.skipReceivedActions();
    await fill(store, 'Grace', 'Hello');
    await store.send({ type: 'commentSubmitted', postId: 2 });
    pending('addComment').resolve(NEW);
    await store.receive('commentPosted');
    expect(queries.freshness(postsKey(), STALE_TIME)).toBe('stale');
    await store.skipReceivedActions();
    pending('getPost').resolve(POST);
    pending('listComments').resolve([OLD, NEW]);
    await store.skipReceivedActions();

    await store.send({ type: 'navigate', page: home });
    await store.receive('postsLoaded');
    const counted = [{ ...SUMMARY, commentCount: 2 }];
    pending('listPosts').resolve(counted);
    await store.receive({ type: 'postsLoaded', posts: counted, updatedAt: 0 }, (s) => ({ ...s, posts: counted }));
    await store.finish();
  });

  it('shows the field errors of a 400 beside their fields', async () => {
    const { store, pending } = await onTheFormPage();
    await fill(store, 'Grace', 'Hello');
    await store.send({ type: 'commentSubmitted', postId: 2 });
    pending('addComment').reject(
      new ApiError(400, 'Please correct the highlighted fields.', { body: 'Please write a comment.' }),
    );
    await store.receive({ type: 'commentFailed', message: null, errors: { body: 'Please write a comment.' } }, (s) => ({
      ...s,
      commentForm: { ...s.commentForm, status: 'failed', errors: { body: 'Please write a comment.' } },
    }));
    await store.finish();
  });

  it('says what went wrong for a failure that is not about a field, and only an ApiError’s own words', async () => {
    const { store, pending } = await onTheFormPage();
    await fill(store, 'Grace', 'Hello');
    await store.send({ type: 'commentSubmitted', postId: 2 });
    pending('addComment').reject(new ApiError(404, 'Post 2 does not exist'));
    await store.receive({ type: 'commentFailed', message: 'Post 2 does not exist', errors: {} });

    await store.send({ type: 'commentSubmitted', postId: 2 });
    pending('addComment').reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    await store.receive({ type: 'commentFailed', message: 'Something went wrong. Please try again.', errors: {} });
    expect(store.state.commentForm.status).toBe('failed');
    await store.finish();
  });

  it('without a token (the cached page) says to reload instead of sending', async () => {
    const { store, calls } = setup();
    await store.send({ type: 'commentFieldChanged', field: 'author', value: 'Grace' });
    await store.send({ type: 'commentFieldChanged', field: 'body', value: 'Hello' });
    await store.send({ type: 'commentSubmitted', postId: 2 }, (s) => ({
      ...s,
      commentForm: {
        ...s.commentForm,
        status: 'failed',
        message: 'The form is not ready yet. Reload the page and try again.',
      },
    }));
    expect(calls).toEqual([]);
    await store.finish();
  });
});

describe('the subscribe form', () => {
  async function withToken() {
    const context = setup();
    await context.store.send({ type: 'navigate', page: { route: 'subscribe', params: {}, query: {} } });
    context.pending('csrfToken').resolve('token-2');
    await context.store.receive('csrfTokenLoaded');
    await context.store.send({ type: 'subscribeFieldChanged', field: 'name', value: ' Ada ' });
    await context.store.send({ type: 'subscribeFieldChanged', field: 'email', value: 'ada@example.com' });
    return context;
  }

  it('submits through a mutation and confirms', async () => {
    const { store, pending } = await withToken();
    await store.send({ type: 'subscribeSubmitted' }, (s) => ({
      ...s,
      subscribe: { ...s.subscribe, status: 'submitting' },
    }));
    const sent = pending('subscribe');
    expect(sent.args[0]).toEqual({ name: 'Ada', email: 'ada@example.com', csrfToken: 'token-2' });
    sent.resolve({ name: 'Ada' });
    await store.receive({ type: 'subscribeSucceeded', name: 'Ada' }, (s) => ({
      ...s,
      subscribe: { ...s.subscribe, name: '', email: '', status: 'subscribed', subscribedAs: 'Ada' },
    }));
    await store.finish();
  });

  it('shows the field errors of a 400', async () => {
    const { store, pending } = await withToken();
    await store.send({ type: 'subscribeSubmitted' });
    pending('subscribe').reject(new ApiError(400, 'Please correct the highlighted fields.', { email: 'Bad address.' }));
    await store.receive({ type: 'subscribeFailed', message: null, errors: { email: 'Bad address.' } });
    expect(store.state.subscribe.status).toBe('failed');
    await store.finish();
  });
});
