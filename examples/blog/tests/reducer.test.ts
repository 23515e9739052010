import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMockClock,
  createQueryCache,
  createStore,
  createTestStore,
  type QueryKey,
  type TestStore,
} from '@composable-svelte/core';
import { ApiError, type BlogApi, type BlogDependencies } from '../src/shared/api.js';
import type { ApiKeyList, SessionSummary } from '../src/shared/account.js';
import type { AdminComment, AdminJobs, AdminUser } from '../src/shared/admin.js';
import type { Comment, Post, PostSummary } from '../src/shared/model.js';
import { commentsKey, postKey, postsKey, snapshotOf, stamp, STALE_TIME } from '../src/shared/queries.js';
import { loadAllFeatures } from '../src/shared/features.js';
import { blogReducer } from '../src/shared/reducer.js';
import { initialBlogState, type BlogAction, type BlogState, type Page } from '../src/shared/state.js';

// The forms and the live channel are lazy features: the store reduces their actions once they are in.
beforeAll(loadAllFeatures);

const ORIGIN = 'https://blog.example.com';

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

function post(id: number): Post {
  return {
    id,
    title: `Post ${id}`,
    author: 'Ada',
    publishedAt: new Date(Date.UTC(2025, 0, id)).toISOString(),
    excerpt: `Excerpt ${id}.`,
    commentCount: id % 3,
    bodyHtml: `<p>Excerpt ${id}.</p>\n<p>Second paragraph of post ${id}.</p>`,
    coverUrl: null,
    authorId: null,
    updatedAt: null,
  };
}

function summary(id: number): PostSummary {
  const { bodyHtml: _bodyHtml, ...rest } = post(id);
  return rest;
}

function comments(postId: number): Comment[] {
  return Array.from({ length: postId % 3 }, (_, i) => ({
    id: postId * 100 + i,
    postId,
    author: 'Reader',
    body: `Comment ${i} on ${postId}`,
    createdAt: new Date(Date.UTC(2025, 1, postId, i)).toISOString(),
  }));
}

function newComment(postId: number, input: { author: string; body: string }): Comment {
  return { id: 999, postId, author: input.author, body: input.body, createdAt: '2025-03-01T00:00:00.000Z' };
}

const POSTS: readonly PostSummary[] = [5, 4, 3, 2, 1].map(summary);

const home: Page = { route: 'home', params: {}, query: {} };
const postPage = (id: number): Page => ({ route: 'post', params: { id }, query: {} });
const commentsPage = (id: number): Page => ({ route: 'comments', params: { id }, query: {} });
const notFound: Page = { route: 'notFound', path: '/nope' };
const navigate = (page: Page): BlogAction => ({ type: 'navigate', page });
const NO_JOBS: AdminJobs = { enabled: false, queues: [], deadLetters: [], schedules: [] };

// ---------------------------------------------------------------------------------------------
// A fake BlogApi whose every request is a promise the test settles by hand.
// ---------------------------------------------------------------------------------------------

type Method = keyof BlogApi;

interface Call {
  readonly method: Method;
  readonly arg: number | undefined;
  readonly signal: AbortSignal;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

class ControlledApi implements BlogApi {
  readonly calls: Call[] = [];

  private request<T>(method: Method, arg: number | undefined, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.calls.push({ method, arg, signal, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  listPosts(signal: AbortSignal): Promise<readonly PostSummary[]> {
    return this.request('listPosts', undefined, signal);
  }
  getPost(id: number, signal: AbortSignal): Promise<Post> {
    return this.request('getPost', id, signal);
  }
  listComments(postId: number, signal: AbortSignal): Promise<readonly Comment[]> {
    return this.request('listComments', postId, signal);
  }
  csrfToken(signal: AbortSignal): Promise<string> {
    return this.request('csrfToken', undefined, signal);
  }
  subscribe(
    _input: { name: string; email: string; csrfToken: string },
    signal: AbortSignal,
  ): Promise<{ name: string }> {
    return this.request('subscribe', undefined, signal);
  }
  listSessions(signal: AbortSignal): Promise<readonly SessionSummary[]> {
    return this.request('listSessions', undefined, signal);
  }
  listApiKeys(signal: AbortSignal): Promise<ApiKeyList> {
    return this.request('listApiKeys', undefined, signal);
  }
  adminComments(signal: AbortSignal): Promise<readonly AdminComment[]> {
    return this.request('adminComments', undefined, signal);
  }
  adminUsers(signal: AbortSignal): Promise<readonly AdminUser[]> {
    return this.request('adminUsers', undefined, signal);
  }
  adminJobs(signal: AbortSignal): Promise<AdminJobs> {
    return this.request('adminJobs', undefined, signal);
  }
  addComment(
    postId: number,
    _input: { author: string; body: string; csrfToken: string },
    signal: AbortSignal,
  ): Promise<Comment> {
    return this.request('addComment', postId, signal);
  }

  /** The one pending call for `method(arg)`; fails the test when there is none or several. */
  call(method: Method, arg?: number): Call {
    const found = this.calls.filter((c) => c.method === method && c.arg === arg);
    if (found.length !== 1) throw new Error(`expected exactly one ${method}(${arg ?? ''}) call, found ${found.length}`);
    return found[0]!;
  }

  /** Answers a call with the fixture data it asks for. */
  answer(call: Call): void {
    if (call.method === 'listPosts') call.resolve(POSTS);
    else if (call.method === 'getPost') call.resolve(post(call.arg!));
    else call.resolve(comments(call.arg!));
  }
}

/**
 * The expectation for an answer arriving: the data it adds, each stamped in `queries` at the
 * mock clock's time (0) under its query key, as the browser's cache will need it.
 */
function loaded(expected: (state: BlogState) => BlogState) {
  return (state: BlogState): BlogState => {
    const next = expected(state);
    const keys: QueryKey[] = [];
    if (next.posts !== state.posts) keys.push(postsKey());
    for (const id of Object.keys(next.postsById)) if (!(id in state.postsById)) keys.push(postKey(Number(id)));
    for (const id of Object.keys(next.commentsByPost)) {
      if (!(id in state.commentsByPost)) keys.push(commentsKey(Number(id)));
    }
    return { ...next, queries: keys.reduce((stamps, key) => stamp(stamps, key, 0), next.queries) };
  };
}

/** Lets settled promises and the effects waiting on them run. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function setup(initial: BlogState = initialBlogState(notFound, ORIGIN), exhaustivity: 'on' | 'off' = 'on') {
  const api = new ControlledApi();
  const store: TestStore<BlogState, BlogAction> = createTestStore<BlogState, BlogAction, BlogDependencies>({
    initialState: initial,
    reducer: blogReducer,
    dependencies: { api },
    exhaustivity,
  });
  return { api, store };
}

// ---------------------------------------------------------------------------------------------

describe('the home page', () => {
  it('loads the posts when none are loaded, and is ready once they arrive', async () => {
    const { api, store } = setup();

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'loading' } }));
    expect(api.calls.map((c) => c.method)).toEqual(['listPosts']);

    api.call('listPosts').resolve(POSTS);
    await store.receive(
      { type: 'postsLoaded', posts: POSTS, updatedAt: 0 },
      loaded((s) => ({
        ...s,
        posts: POSTS,
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('shows cached posts at once on a later visit, without a request', async () => {
    const { api, store } = setup();

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'loading' } }));
    api.answer(api.call('listPosts'));
    await store.receive(
      'postsLoaded',
      loaded((s) => ({ ...s, posts: POSTS, load: { status: 'ready' } })),
    );

    await store.send(navigate(notFound), (s) => ({ ...s, page: notFound }));
    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'ready' } }));
    expect(api.calls).toHaveLength(1);
    await store.finish();
  });

  it('is ready at once when coming back while another page is still loading, and drops that load', async () => {
    const { api, store } = setup({ ...initialBlogState(home, ORIGIN), posts: POSTS });

    await store.send(navigate(postPage(1)), (s) => ({ ...s, page: postPage(1), load: { status: 'loading' } }));
    const pending = api.call('getPost', 1);

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'ready' } }));
    expect(pending.signal.aborted).toBe(true);
    expect(api.calls).toHaveLength(1);

    // The late answer changes nothing: finish() fails on any unreceived action.
    pending.resolve(post(1));
    await tick();
    expect(store.state.postsById).toEqual({});
    await store.finish();
  });
});

describe('the comments page', () => {
  it('loads the post and its comments in parallel and is ready only once both are in (comments first)', async () => {
    const { api, store } = setup();

    await store.send(navigate(commentsPage(2)), (s) => ({ ...s, page: commentsPage(2), load: { status: 'loading' } }));
    expect(api.calls.map((c) => `${c.method}(${c.arg})`).sort()).toEqual(['getPost(2)', 'listComments(2)']);

    api.call('listComments', 2).resolve(comments(2));
    await store.receive(
      { type: 'commentsLoaded', postId: 2, comments: comments(2), updatedAt: 0 },
      loaded((s) => ({
        ...s,
        commentsByPost: { 2: comments(2) },
      })),
    );
    expect(store.state.load.status).toBe('loading');

    api.call('getPost', 2).resolve(post(2));
    await store.receive(
      { type: 'postLoaded', post: post(2), updatedAt: 0 },
      loaded((s) => ({
        ...s,
        postsById: { 2: post(2) },
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('is ready only once both are in (post first)', async () => {
    const { api, store } = setup();

    await store.send(navigate(commentsPage(2)), (s) => ({ ...s, page: commentsPage(2), load: { status: 'loading' } }));

    api.call('getPost', 2).resolve(post(2));
    await store.receive(
      'postLoaded',
      loaded((s) => ({ ...s, postsById: { 2: post(2) } })),
    );
    expect(store.state.load.status).toBe('loading');

    api.call('listComments', 2).resolve(comments(2));
    await store.receive(
      'commentsLoaded',
      loaded((s) => ({
        ...s,
        commentsByPost: { 2: comments(2) },
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('settles whichever answer lands first when both resolve together', async () => {
    const { api, store } = setup(undefined, 'off');
    const either = (a: BlogAction) => a.type === 'postLoaded' || a.type === 'commentsLoaded';

    await store.send(navigate(commentsPage(4)));
    for (const call of api.calls) api.answer(call);
    await store.receive(either);
    await store.receive(either);

    expect(store.state.load).toEqual({ status: 'ready' });
    expect(store.state.postsById['4']).toEqual(post(4));
    expect(store.state.commentsByPost['4']).toEqual(comments(4));
    await store.finish();
  });

  it('only asks for the comments when the post is already loaded', async () => {
    const { api, store } = setup({ ...initialBlogState(postPage(3), ORIGIN), postsById: { 3: post(3) } });

    await store.send(navigate(commentsPage(3)), (s) => ({ ...s, page: commentsPage(3), load: { status: 'loading' } }));
    expect(api.calls.map((c) => c.method)).toEqual(['listComments']);

    api.answer(api.call('listComments', 3));
    await store.receive(
      'commentsLoaded',
      loaded((s) => ({
        ...s,
        commentsByPost: { 3: comments(3) },
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('is ready at once, without a request, when both are already loaded', async () => {
    const { api, store } = setup({
      ...initialBlogState(home, ORIGIN),
      postsById: { 3: post(3) },
      commentsByPost: { 3: comments(3) },
    });

    await store.send(navigate(commentsPage(3)), (s) => ({ ...s, page: commentsPage(3) }));
    expect(api.calls).toHaveLength(0);
    await store.finish();
  });

  it('treats an empty comment list as loaded', async () => {
    const { api, store } = setup({
      ...initialBlogState(home, ORIGIN),
      postsById: { 3: post(3) },
      commentsByPost: { 3: [] },
    });

    await store.send(navigate(commentsPage(3)), (s) => ({ ...s, page: commentsPage(3) }));
    expect(api.calls).toHaveLength(0);
    await store.finish();
  });
});

describe('quick navigation', () => {
  it('cancels the load of a page the reader already left: its answer is never received', async () => {
    const { api, store } = setup();

    await store.send(navigate(postPage(1)), (s) => ({ ...s, page: postPage(1), load: { status: 'loading' } }));
    const slow = api.call('getPost', 1);

    await store.send(navigate(postPage(2)), (s) => ({ ...s, page: postPage(2) }));
    expect(slow.signal.aborted).toBe(true);
    const fast = api.call('getPost', 2);
    expect(fast.signal.aborted).toBe(false);

    // Post 1 arrives late; post 2 after it. Only post 2 may be received (exhaustive store).
    slow.resolve(post(1));
    await tick();
    fast.resolve(post(2));
    await store.receive(
      { type: 'postLoaded', post: post(2), updatedAt: 0 },
      loaded((s) => ({
        ...s,
        postsById: { 2: post(2) },
        load: { status: 'ready' },
      })),
    );
    expect(store.state.postsById).not.toHaveProperty('1');
    await store.finish();
  });

  it('ignores a failure of a cancelled load', async () => {
    const { api, store } = setup();

    await store.send(navigate(postPage(1)), (s) => ({ ...s, page: postPage(1), load: { status: 'loading' } }));
    await store.send(navigate(postPage(2)), (s) => ({ ...s, page: postPage(2) }));

    api.call('getPost', 1).reject(new ApiError(404, 'Post 1 does not exist'));
    await tick();
    expect(store.state.load).toEqual({ status: 'loading' });

    api.call('getPost', 2).resolve(post(2));
    await store.receive(
      'postLoaded',
      loaded((s) => ({ ...s, postsById: { 2: post(2) }, load: { status: 'ready' } })),
    );
    await store.finish();
  });

  it('cancels both halves of a comments load when the reader moves on', async () => {
    const { api, store } = setup();

    await store.send(navigate(commentsPage(1)), (s) => ({ ...s, page: commentsPage(1), load: { status: 'loading' } }));
    const [first, second] = api.calls;
    await store.send(navigate(postPage(2)), (s) => ({ ...s, page: postPage(2) }));
    expect(first!.signal.aborted).toBe(true);
    expect(second!.signal.aborted).toBe(true);

    api.answer(first!);
    api.answer(second!);
    await tick();
    api.answer(api.call('getPost', 2));
    await store.receive(
      'postLoaded',
      loaded((s) => ({ ...s, postsById: { 2: post(2) }, load: { status: 'ready' } })),
    );
    await store.finish();
  });
});

describe('failures', () => {
  it('turns a 404 into loadFailed with httpStatus 404 and a reader-facing message', async () => {
    const { api, store } = setup();

    await store.send(navigate(postPage(9)), (s) => ({ ...s, page: postPage(9), load: { status: 'loading' } }));
    api.call('getPost', 9).reject(new ApiError(404, 'Post 9 does not exist'));
    await store.receive({ type: 'loadFailed', httpStatus: 404, message: 'This post does not exist.' }, (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 404, message: 'This post does not exist.' },
    }));
    await store.finish();
  });

  it('turns any other ApiError into loadFailed with its status and public message', async () => {
    const { api, store } = setup();

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'loading' } }));
    api.call('listPosts').reject(new ApiError(503, 'The server answered 503.'));
    await store.receive({ type: 'loadFailed', httpStatus: 503, message: 'The server answered 503.' }, (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 503, message: 'The server answered 503.' },
    }));
    await store.finish();
  });

  it('gives a generic message and status 500 when the rejection is not an ApiError, never its text', async () => {
    const { api, store } = setup();

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'loading' } }));
    api.call('listPosts').reject('socket hang up');
    await store.receive(
      { type: 'loadFailed', httpStatus: 500, message: 'Something went wrong while loading.' },
      (s) => ({
        ...s,
        load: { status: 'failed', httpStatus: 500, message: 'Something went wrong while loading.' },
      }),
    );
    await store.finish();
  });

  it('stops the other half of a comments load once one half fails, and reports one failure', async () => {
    const { api, store } = setup();

    await store.send(navigate(commentsPage(9)), (s) => ({ ...s, page: commentsPage(9), load: { status: 'loading' } }));
    const comments9 = api.call('listComments', 9);
    api.call('getPost', 9).reject(new ApiError(404, 'Post 9 does not exist'));
    await store.receive('loadFailed', (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 404, message: 'This post does not exist.' },
    }));
    expect(comments9.signal.aborted).toBe(true);

    comments9.reject(new ApiError(404, 'Post 9 does not exist'));
    await tick();
    await store.finish();
  });

  it('retry loads the current page again and becomes ready when the data arrives', async () => {
    const { api, store } = setup();

    await store.send(navigate(postPage(2)), (s) => ({ ...s, page: postPage(2), load: { status: 'loading' } }));
    api.call('getPost', 2).reject(new ApiError(0, 'The network request failed. Check your connection.'));
    await store.receive('loadFailed', (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 0, message: 'The network request failed. Check your connection.' },
    }));

    await store.send({ type: 'retry' }, (s) => ({ ...s, load: { status: 'loading' } }));
    expect(api.calls).toHaveLength(2);
    api.answer(api.calls[1]!);
    await store.receive(
      { type: 'postLoaded', post: post(2), updatedAt: 0 },
      loaded((s) => ({
        ...s,
        postsById: { 2: post(2) },
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('retry only asks for what is still missing', async () => {
    const { api, store } = setup();

    await store.send(navigate(commentsPage(2)), (s) => ({ ...s, page: commentsPage(2), load: { status: 'loading' } }));
    api.call('getPost', 2).resolve(post(2));
    await store.receive(
      'postLoaded',
      loaded((s) => ({ ...s, postsById: { 2: post(2) } })),
    );
    api.call('listComments', 2).reject(new ApiError(500, 'The server answered 500.'));
    await store.receive('loadFailed', (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 500, message: 'The server answered 500.' },
    }));

    await store.send({ type: 'retry' }, (s) => ({ ...s, load: { status: 'loading' } }));
    expect(api.calls.slice(2).map((c) => `${c.method}(${c.arg})`)).toEqual(['listComments(2)']);
    api.answer(api.calls[2]!);
    await store.receive(
      'commentsLoaded',
      loaded((s) => ({
        ...s,
        commentsByPost: { 2: comments(2) },
        load: { status: 'ready' },
      })),
    );
    await store.finish();
  });

  it('leaving a failed page for one whose data is loaded makes the state ready again', async () => {
    const { api, store } = setup({ ...initialBlogState(home, ORIGIN), posts: POSTS });

    await store.send(navigate(postPage(9)), (s) => ({ ...s, page: postPage(9), load: { status: 'loading' } }));
    api.call('getPost', 9).reject(new ApiError(404, 'gone'));
    await store.receive('loadFailed', (s) => ({
      ...s,
      load: { status: 'failed', httpStatus: 404, message: 'This post does not exist.' },
    }));

    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'ready' } }));
    await store.finish();
  });
});

describe('the query cache', () => {
  it('revalidates stale data in the background: the page is ready at once and the fresh answer replaces it', async () => {
    const { api, store } = setup();
    await store.send(navigate(home), (s) => ({ ...s, page: home, load: { status: 'loading' } }));
    api.answer(api.call('listPosts'));
    await store.receive(
      'postsLoaded',
      loaded((s) => ({ ...s, posts: POSTS, load: { status: 'ready' } })),
    );
    await store.send(navigate(notFound), (s) => ({ ...s, page: notFound }));

    await store.advanceTime(STALE_TIME);
    await store.send(navigate(home), (s) => ({ ...s, page: home }));
    await store.receive({ type: 'postsLoaded', posts: POSTS, updatedAt: 0 });
    const fresher = POSTS.slice(1);
    api.calls[1]!.resolve(fresher);
    await store.receive({ type: 'postsLoaded', posts: fresher, updatedAt: STALE_TIME }, (s) => ({
      ...s,
      posts: fresher,
      queries: stamp(s.queries, postsKey(), STALE_TIME),
    }));
    await store.finish();
  });

  it('keeps showing what it has when a background revalidation fails', async () => {
    const { api, store } = setup();
    await store.send(navigate(postPage(2)), (s) => ({ ...s, page: postPage(2), load: { status: 'loading' } }));
    api.answer(api.call('getPost', 2));
    await store.receive(
      'postLoaded',
      loaded((s) => ({ ...s, postsById: { 2: post(2) }, load: { status: 'ready' } })),
    );

    await store.advanceTime(STALE_TIME);
    await store.send(navigate(postPage(2)));
    await store.receive('postLoaded');
    api.calls[1]!.reject(new ApiError(503, 'The server answered 503.'));
    await store.receive('refreshFailed');
    expect(store.state.load).toEqual({ status: 'ready' });
    await store.finish();
  });

  it('after hydration, asks for nothing the server sent while it is fresh', async () => {
    const server = instantApi();
    const serverStore = blogStore(server.api, []);
    serverStore.dispatch(navigate(commentsPage(4)));
    await serverStore.settled();
    const sent = JSON.parse(JSON.stringify(serverStore.state)) as BlogState;
    serverStore.destroy();

    const clock = createMockClock({ now: Date.now() });
    const queries = createQueryCache({ clock });
    queries.hydrate(snapshotOf(sent));
    const api = new ControlledApi();
    const browser = createTestStore<BlogState, BlogAction, BlogDependencies>({
      initialState: sent,
      reducer: blogReducer,
      dependencies: { api, clock, queries },
    });
    await browser.send(navigate(postPage(4)), (s) => ({ ...s, page: postPage(4) }));
    await browser.send(navigate(commentsPage(4)), (s) => ({ ...s, page: commentsPage(4) }));
    expect(api.calls).toHaveLength(0);
    await browser.finish();
  });
});

describe('pages without data', () => {
  it.each<Page>([
    notFound,
    { route: 'badRequest', path: '/posts/abc', errors: [{ path: 'params.id', message: 'must be an integer' }] },
    { route: 'error', status: 504, message: 'Gateway Timeout', requestId: 'r-1' },
  ])('%o is ready at once and makes no request', async (page) => {
    const { api, store } = setup(initialBlogState(home, ORIGIN));

    await store.send(navigate(page), (s) => ({ ...s, page }));
    expect(store.state.load).toEqual({ status: 'ready' });
    expect(api.calls).toHaveLength(0);
    await store.finish();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: whatever the reader does, the store settles on a page that has all it needs.
// ---------------------------------------------------------------------------------------------

const IDS = [1, 2, 3, 4, 5] as const;

const pageArb: fc.Arbitrary<Page> = fc.oneof(
  fc.constant(home),
  fc.constantFrom(...IDS).map(postPage),
  fc.constantFrom(...IDS).map(commentsPage),
  fc.constantFrom(...IDS).map((id): Page => ({ route: 'comments', params: { id }, query: { write: '1' } })),
  fc.constant(notFound),
);

/** Everything `page` shows is in the state. */
function hasEverythingFor(state: BlogState, page: Page): boolean {
  switch (page.route) {
    case 'home':
      return state.posts !== null;
    case 'post':
      return state.postsById[page.params.id] !== undefined;
    case 'comments':
      return (
        state.postsById[page.params.id] !== undefined &&
        state.commentsByPost[page.params.id] !== undefined &&
        (page.query.write !== '1' || state.commentForm.csrfToken !== null)
      );
    default:
      return true;
  }
}

/** An API that answers at once, counting what it was asked. */
function instantApi() {
  const requests: string[] = [];
  const api: BlogApi = {
    listPosts: async () => (requests.push('listPosts'), POSTS),
    getPost: async (id) => (requests.push(`getPost(${id})`), post(id)),
    listComments: async (id) => (requests.push(`listComments(${id})`), comments(id)),
    csrfToken: async () => (requests.push('csrfToken'), 'token'),
    subscribe: async (input) => (requests.push('subscribe'), { name: input.name }),
    listSessions: async () => (requests.push('listSessions'), []),
    listApiKeys: async () => (requests.push('listApiKeys'), { keys: [], scopes: [] }),
    adminComments: async () => (requests.push('adminComments'), []),
    adminUsers: async () => (requests.push('adminUsers'), []),
    adminJobs: async () => (requests.push('adminJobs'), NO_JOBS),
    addComment: async (postId, input) => (requests.push(`addComment(${postId})`), newComment(postId, input)),
  };
  return { api, requests };
}

function blogStore(api: BlogApi, errors: unknown[]) {
  return createStore<BlogState, BlogAction, BlogDependencies>({
    initialState: initialBlogState(notFound, ORIGIN),
    reducer: blogReducer,
    dependencies: { api },
    onEffectError: (error) => errors.push(error),
  });
}

describe('properties', () => {
  it('after any navigation sequence the store settles ready, with the final page’s data', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ page: pageArb, wait: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        async (steps) => {
          const { api } = instantApi();
          const errors: unknown[] = [];
          const store = blogStore(api, errors);
          try {
            for (const { page, wait } of steps) {
              store.dispatch(navigate(page));
              if (wait) await store.settled();
            }
            await store.settled();
            const last = steps.at(-1)!.page;

            expect(errors).toEqual([]);
            expect(store.state.page).toEqual(last);
            expect(store.state.load).toEqual({ status: 'ready' });
            expect(hasEverythingFor(store.state, last)).toBe(true);
          } finally {
            store.destroy();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when every navigation is allowed to settle, nothing is ever fetched twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pageArb, { minLength: 1, maxLength: 25 }), async (pages) => {
        const { api, requests } = instantApi();
        const errors: unknown[] = [];
        const store = blogStore(api, errors);
        try {
          for (const page of pages) {
            store.dispatch(navigate(page));
            await store.settled();
            expect(store.state.load).toEqual({ status: 'ready' });
            expect(hasEverythingFor(store.state, page)).toBe(true);
          }
          expect(errors).toEqual([]);
          expect(new Set(requests).size).toBe(requests.length);
        } finally {
          store.destroy();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('whatever order answers and navigations interleave in, the last page ends ready with its data', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(pageArb, { minLength: 1, maxLength: 12 }), async (s, pages) => {
        const api: BlogApi = {
          listPosts: () => s.schedule(Promise.resolve(POSTS), 'listPosts'),
          getPost: (id) => s.schedule(Promise.resolve(post(id)), `getPost(${id})`),
          listComments: (id) => s.schedule(Promise.resolve(comments(id)), `listComments(${id})`),
          csrfToken: () => s.schedule(Promise.resolve('token'), 'csrfToken'),
          subscribe: (input) => s.schedule(Promise.resolve({ name: input.name }), 'subscribe'),
          listSessions: () => s.schedule(Promise.resolve([]), 'listSessions'),
          listApiKeys: () => s.schedule(Promise.resolve({ keys: [], scopes: [] }), 'listApiKeys'),
          adminComments: () => s.schedule(Promise.resolve([]), 'adminComments'),
          adminUsers: () => s.schedule(Promise.resolve([]), 'adminUsers'),
          adminJobs: () => s.schedule(Promise.resolve(NO_JOBS), 'adminJobs'),
          addComment: (postId, input) => s.schedule(Promise.resolve(newComment(postId, input)), 'addComment'),
        };
        const errors: unknown[] = [];
        const store = blogStore(api, errors);
        let last: Page | undefined;
        try {
          for (const page of pages) {
            void s.schedule(Promise.resolve(page), 'navigate').then((p) => {
              last = p;
              store.dispatch(navigate(p));
            });
          }
          await s.waitAll();
          await store.settled();

          expect(errors).toEqual([]);
          expect(store.state.page).toEqual(last);
          expect(store.state.load).toEqual({ status: 'ready' });
          expect(hasEverythingFor(store.state, last!)).toBe(true);
        } finally {
          store.destroy();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a failed load never leaves a later page stuck: failures only come from the current page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(pageArb, { minLength: 1, maxLength: 10 }),
        fc.constantFrom(...IDS),
        async (s, pages, missing) => {
          // Post `missing` does not exist; everything else does.
          const api: BlogApi = {
            listPosts: () => s.schedule(Promise.resolve(POSTS)),
            getPost: (id) =>
              s.schedule(id === missing ? Promise.reject(new ApiError(404, 'gone')) : Promise.resolve(post(id))),
            listComments: (id) =>
              s.schedule(id === missing ? Promise.reject(new ApiError(404, 'gone')) : Promise.resolve(comments(id))),
            csrfToken: () => s.schedule(Promise.resolve('token')),
            subscribe: (input) => s.schedule(Promise.resolve({ name: input.name })),
            listSessions: () => s.schedule(Promise.resolve([])),
            listApiKeys: () => s.schedule(Promise.resolve({ keys: [], scopes: [] })),
            adminComments: () => s.schedule(Promise.resolve([])),
            adminUsers: () => s.schedule(Promise.resolve([])),
            adminJobs: () => s.schedule(Promise.resolve(NO_JOBS)),
            addComment: (postId, input) => s.schedule(Promise.resolve(newComment(postId, input))),
          };
          const errors: unknown[] = [];
          const store = blogStore(api, errors);
          let last: Page | undefined;
          try {
            for (const page of pages) {
              void s.schedule(Promise.resolve(page)).then((p) => {
                last = p;
                store.dispatch(navigate(p));
              });
            }
            await s.waitAll();
            await store.settled();

            expect(errors).toEqual([]);
            const needsMissing = (last!.route === 'post' || last!.route === 'comments') && last!.params.id === missing;
            if (needsMissing) {
              expect(store.state.load).toEqual({
                status: 'failed',
                httpStatus: 404,
                message: 'This post does not exist.',
              });
            } else {
              expect(store.state.load).toEqual({ status: 'ready' });
              expect(hasEverythingFor(store.state, last!)).toBe(true);
            }
          } finally {
            store.destroy();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
