import {
  combine,
  Effect,
  type Dependencies,
  type LazyReducer,
  type QueryKey,
  type Reducer,
} from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import { guarded } from './guarded.js';
import { commentsKey, postKey, postsKey, STALE_TIME, stamp, stampOf } from './queries.js';
import { emptyAccountForm, emptyApiKeyForm } from './account.js';
import type { BlogAction, BlogState, Page } from './state.js';
import { commentFeature, liveFeature, memberFeature, subscribeFeature } from './features.js';
import { withLiveComments } from './live.js';
import { enterWith, load, LOAD_ID, loadFailed, settle as settleWith, type Need } from './page-loads.js';

/**
 * A query for data the page needs: when the state lacks it, or when the state holds an answer the
 * cache now calls stale (older than STALE_TIME, invalidated, or evicted). Data in the state with no
 * stamp was put there by the app itself and is not the cache's to refresh.
 */
function need<T>(
  state: BlogState,
  queries: Dependencies['queries'],
  key: QueryKey,
  present: boolean,
  request: (signal: AbortSignal) => Promise<T>,
  loaded: (data: T, updatedAt: number) => BlogAction,
): Need[] {
  const stale = present && stampOf(state, key) !== undefined && queries.freshness(key, STALE_TIME) !== 'fresh';
  if (present && !stale) return [];
  const effect = Effect.query<T, BlogAction>(key, guarded(request), {
    cache: queries,
    staleTime: STALE_TIME,
    toAction: (result) => {
      if (result.status === 'success') return loaded(result.data, result.updatedAt);
      return present ? { type: 'refreshFailed' } : loadFailed(result.error);
    },
  });
  return [{ effect, missing: !present }];
}

/** What the page needs loaded or revalidated. */
function needs(state: BlogState, page: Page, { api, queries }: BlogDependencies & Dependencies): Need[] {
  const post = (id: number) =>
    need(
      state,
      queries,
      postKey(id),
      state.postsById[id] !== undefined,
      (signal) => api.getPost(id, signal),
      (p, updatedAt): BlogAction => ({ type: 'postLoaded', post: p, updatedAt }),
    );
  // The token is the form's: the request waits for the form's chunk too, so the form reduces its answer.
  const csrfToken = (form: LazyReducer<BlogState, BlogAction, BlogDependencies>): Need[] => [
    {
      missing: true,
      effect: load((signal) =>
        Promise.all([api.csrfToken(signal), form.load()]).then(([token]): BlogAction => ({
          type: 'csrfTokenLoaded',
          token,
        })),
      ),
    },
  ];
  switch (page.route) {
    case 'home':
      return need(
        state,
        queries,
        postsKey(),
        state.posts !== null,
        (signal) => api.listPosts(signal),
        (posts, updatedAt): BlogAction => ({ type: 'postsLoaded', posts, updatedAt }),
      );
    case 'post':
      return post(page.params.id);
    case 'subscribe':
      return state.subscribe.csrfToken ? [] : csrfToken(subscribeFeature);
    case 'comments': {
      const id = page.params.id;
      return [
        // Only the page with the form asks for a token: asking makes the page private (uncached).
        ...(page.query.write === '1' && !state.commentForm.csrfToken ? csrfToken(commentFeature) : []),
        ...post(id),
        ...need(
          state,
          queries,
          commentsKey(id),
          state.commentsByPost[id] !== undefined,
          (signal) => api.listComments(id, signal),
          (comments, updatedAt): BlogAction => ({ type: 'commentsLoaded', postId: id, comments, updatedAt }),
        ),
      ];
    }
    default:
      return [];
  }
}

/** The pages whose data the member feature (member-reducer.ts) loads. */
const MEMBER_ROUTES: ReadonlySet<Page['route']> = new Set([
  'login',
  'signup',
  'forgotPassword',
  'resetPassword',
  'account',
  'accountKeys',
  'admin',
  'adminUsers',
  'adminJobs',
]);

/**
 * Shows a page and loads whatever it lacks; a newer navigation cancels an older load. A member
 * page waits for the member feature, which then loads what that page lacks.
 */
function enter(
  state: BlogState,
  page: Page,
  dependencies: BlogDependencies & Dependencies,
): readonly [BlogState, Effect<BlogAction>] {
  if (!MEMBER_ROUTES.has(page.route)) return enterWith(state, page, needs(state, page, dependencies));
  const entered = Effect.run<BlogAction>(async (dispatch) => {
    await memberFeature.load();
    dispatch({ type: 'memberPageEntered' });
  });
  return [{ ...state, page, load: { status: 'loading' } }, Effect.cancellable(LOAD_ID, entered)];
}

function lacksData(state: BlogState, page: Page): boolean {
  switch (page.route) {
    case 'home':
      return state.posts === null;
    case 'post':
      return state.postsById[page.params.id] === undefined;
    case 'subscribe':
      return state.subscribe.csrfToken === null;
    case 'comments':
      return (
        state.postsById[page.params.id] === undefined ||
        state.commentsByPost[page.params.id] === undefined ||
        (page.query.write === '1' && state.commentForm.csrfToken === null)
      );
    default:
      return false;
  }
}

const settle = (state: BlogState): BlogState => settleWith(state, lacksData);

type PagesReducer = (
  state: BlogState,
  action: BlogAction,
  dependencies: BlogDependencies & Dependencies,
) => readonly [BlogState, Effect<BlogAction>];

/**
 * Typed with the built-in dependencies (for `queries`) because the store always merges them into
 * what the app provides; the server's app definition only builds the app's own.
 */
const pagesReducer: PagesReducer = (state, action, dependencies) => {
  switch (action.type) {
    case 'navigate': {
      // A message or a refused form belongs to the page it was shown on.
      const account = {
        ...state.account,
        flash: null,
        form: emptyAccountForm,
        apiKeyForm: emptyApiKeyForm,
        createdApiKey: null,
      };
      return enter({ ...state, account }, action.page, dependencies);
    }
    case 'retry':
      return enter(state, state.page, dependencies);
    case 'postsLoaded':
      return [
        settle({ ...state, posts: action.posts, queries: stamp(state.queries, postsKey(), action.updatedAt) }),
        Effect.none(),
      ];
    case 'postLoaded':
      return [
        settle({
          ...state,
          postsById: { ...state.postsById, [action.post.id]: action.post },
          queries: stamp(state.queries, postKey(action.post.id), action.updatedAt),
        }),
        Effect.none(),
      ];
    case 'commentsLoaded':
      return [
        settle({
          ...state,
          commentsByPost: {
            ...state.commentsByPost,
            [action.postId]: withLiveComments(state.commentsByPost[action.postId], action.comments),
          },
          queries: stamp(state.queries, commentsKey(action.postId), action.updatedAt),
        }),
        Effect.none(),
      ];
    case 'loadFailed':
      return [
        { ...state, load: { status: 'failed', httpStatus: action.httpStatus, message: action.message } },
        Effect.cancel(LOAD_ID),
      ];
    case 'csrfTokenLoaded':
      return [settle(state), Effect.none()];
    case 'flashShown':
      return [{ ...state, account: { ...state.account, flash: action.flash } }, Effect.none()];
    case 'commentPosted': {
      // The mutation marked what the comment changed stale; the page showing it asks again.
      const page = state.page;
      if (page.route !== 'comments' || page.params.id !== action.comment.postId) return [state, Effect.none()];
      return enter(state, page, dependencies);
    }
    default:
      return [state, Effect.none()];
  }
};

/**
 * The forms run first, so a page waiting for its CSRF token sees the token when it settles; the
 * live channel last, so it follows the page a navigation went to. All but the page reducer are lazy
 * (features.ts).
 */
export const blogReducer: Reducer<BlogState, BlogAction, BlogDependencies> = combine(
  subscribeFeature.reducer,
  commentFeature.reducer,
  pagesReducer as Reducer<BlogState, BlogAction, BlogDependencies>,
  memberFeature.reducer,
  liveFeature.reducer,
);
