import {
  combine,
  Effect,
  QueryError,
  type Dependencies,
  type LazyReducer,
  type QueryKey,
  type Reducer,
} from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import { GENERIC_FAILURE, guarded } from './guarded.js';
import { commentsKey, postKey, postsKey, STALE_TIME, stamp, stampOf } from './queries.js';
import { emptyAccountForm, emptyApiKeyForm } from './account.js';
import { adminReducer, isAdminAction, type AdminState } from './admin.js';
import type { BlogAction, BlogState, Page } from './state.js';
import { commentFeature, liveFeature, subscribeFeature } from './features.js';
import { withLiveComments } from './live.js';

const LOAD_ID = 'page-data';

function loadFailed(error: QueryError): BlogAction {
  const httpStatus = error.kind === 'http' ? (error.status ?? 500) : 0;
  const message = httpStatus === 404 ? 'This post does not exist.' : error.message;
  return { type: 'loadFailed', httpStatus, message };
}

/** A data request outside the query cache (the per-session CSRF token); failures become loadFailed. */
function load(request: (signal: AbortSignal) => Promise<BlogAction>): Effect<BlogAction> {
  return Effect.run<BlogAction>(async (dispatch, { signal }) => {
    let outcome: BlogAction;
    try {
      outcome = await guarded(request)({ signal });
    } catch (error) {
      outcome = loadFailed(error instanceof QueryError ? error : new QueryError('http', GENERIC_FAILURE));
    }
    dispatch(outcome);
  });
}

interface Need {
  readonly effect: Effect<BlogAction>;
  /** The page cannot show without it (as opposed to revalidating what it shows). */
  readonly missing: boolean;
}

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

/** A CSRF token for the account forms, when the page was not rendered by the server with one. */
function accountToken(api: BlogDependencies['api']): Need {
  return {
    missing: true,
    effect: load((signal) =>
      api.csrfToken(signal).then((token): BlogAction => ({ type: 'accountTokenLoaded', token })),
    ),
  };
}

type AdminPage = 'admin' | 'adminUsers' | 'adminJobs';

/** Which of the admin state's lists an admin page shows. */
const adminListOf = { admin: 'comments', adminUsers: 'users', adminJobs: 'jobs' } as const satisfies Record<
  AdminPage,
  keyof AdminState
>;

/**
 * An admin page's list, asked for on every visit: moderation acts on what is there now. A list
 * already in the state stays on screen meanwhile.
 */
function adminList(state: BlogState, page: AdminPage, api: BlogDependencies['api']): Need {
  const request = (signal: AbortSignal): Promise<BlogAction> => {
    switch (page) {
      case 'admin':
        return api.adminComments(signal).then((comments) => ({ type: 'adminCommentsLoaded', comments }));
      case 'adminUsers':
        return api.adminUsers(signal).then((users) => ({ type: 'adminUsersLoaded', users }));
      case 'adminJobs':
        return api.adminJobs(signal).then((jobs) => ({ type: 'adminJobsLoaded', jobs }));
    }
  };
  return { missing: state.admin[adminListOf[page]] === null, effect: load(request) };
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
    case 'login':
    case 'signup':
    case 'forgotPassword':
    case 'resetPassword':
      return state.account.csrfToken ? [] : [accountToken(api)];
    case 'account':
    case 'accountKeys':
      if (!state.account.viewer) return [];
      return [
        ...(state.account.csrfToken ? [] : [accountToken(api)]),
        ...(state.account.sessions
          ? []
          : [
              {
                missing: true,
                effect: load((signal) =>
                  api.listSessions(signal).then((sessions): BlogAction => ({ type: 'sessionsLoaded', sessions })),
                ),
              },
            ]),
        ...(state.account.apiKeys
          ? []
          : [
              {
                missing: true,
                effect: load((signal) =>
                  api.listApiKeys(signal).then((apiKeys): BlogAction => ({ type: 'apiKeysLoaded', apiKeys })),
                ),
              },
            ]),
      ];
    case 'admin':
    case 'adminUsers':
    case 'adminJobs':
      return state.account.viewer ? [adminList(state, page.route, api)] : [];
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

/** Shows a page and loads whatever it lacks; a newer navigation cancels an older load. */
function enter(
  state: BlogState,
  page: Page,
  dependencies: BlogDependencies & Dependencies,
): readonly [BlogState, Effect<BlogAction>] {
  const needed = needs(state, page, dependencies);
  const load = needed.some((n) => n.missing) ? ({ status: 'loading' } as const) : ({ status: 'ready' } as const);
  if (needed.length === 0) return [{ ...state, page, load }, Effect.cancel(LOAD_ID)];
  return [{ ...state, page, load }, Effect.cancellable(LOAD_ID, Effect.batch(...needed.map((n) => n.effect)))];
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
    case 'login':
    case 'signup':
    case 'forgotPassword':
    case 'resetPassword':
      return state.account.csrfToken === null;
    case 'account':
    case 'accountKeys':
      return (
        state.account.viewer !== null &&
        (state.account.csrfToken === null || state.account.sessions === null || state.account.apiKeys === null)
      );
    case 'admin':
    case 'adminUsers':
    case 'adminJobs':
      return state.account.viewer !== null && state.admin[adminListOf[page.route]] === null;
    default:
      return false;
  }
}

/** Ready once nothing the page needs is missing, so parallel loads may finish in any order. */
function settle(state: BlogState): BlogState {
  if (state.load.status !== 'loading') return state;
  return lacksData(state, state.page) ? state : { ...state, load: { status: 'ready' } };
}

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
  if (isAdminAction(action)) return [settle({ ...state, admin: adminReducer(state.admin, action) }), Effect.none()];
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
    case 'accountTokenLoaded':
      return [settle({ ...state, account: { ...state.account, csrfToken: action.token } }), Effect.none()];
    case 'sessionsLoaded':
      return [settle({ ...state, account: { ...state.account, sessions: action.sessions } }), Effect.none()];
    case 'apiKeysLoaded':
      return [settle({ ...state, account: { ...state.account, apiKeys: action.apiKeys } }), Effect.none()];
    case 'apiKeyCreated':
      return [{ ...state, account: { ...state.account, createdApiKey: action.created } }, Effect.none()];
    case 'apiKeyFormRefused':
      return [
        { ...state, account: { ...state.account, apiKeyForm: { message: action.message, name: action.name } } },
        Effect.none(),
      ];
    case 'flashShown':
      return [{ ...state, account: { ...state.account, flash: action.flash } }, Effect.none()];
    case 'accountFormRefused':
      return [
        {
          ...state,
          account: {
            ...state.account,
            form: { message: action.message, email: action.email ?? '', name: action.name ?? '' },
          },
        },
        Effect.none(),
      ];
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
 * live channel last, so it follows the page a navigation went to. Those three are lazy (features.ts).
 */
export const blogReducer: Reducer<BlogState, BlogAction, BlogDependencies> = combine(
  subscribeFeature.reducer,
  commentFeature.reducer,
  pagesReducer as Reducer<BlogState, BlogAction, BlogDependencies>,
  liveFeature.reducer,
);
