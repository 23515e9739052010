import { combine, Effect, scope, type Reducer } from '@composable-svelte/core';
import { ApiError, type BlogApi, type BlogDependencies } from './api.js';
import type { BlogAction, BlogState, Page } from './state.js';
import { isSubscribeAction, subscribeReducer, type SubscribeAction } from './subscribe-reducer.js';
import type { SubscribeForm } from './subscribe.js';

const LOAD_ID = 'page-data';

/** A data request whose outcome is an action; failures become loadFailed with a readable message. */
function load(request: (signal: AbortSignal) => Promise<BlogAction>): Effect<BlogAction> {
  return Effect.run<BlogAction>(async (dispatch, { signal }) => {
    let outcome: BlogAction;
    try {
      outcome = await request(signal);
    } catch (error) {
      // Only an ApiError carries a message meant for readers; anything else could expose internals.
      outcome =
        error instanceof ApiError
          ? {
              type: 'loadFailed',
              httpStatus: error.status,
              message: error.status === 404 ? 'This post does not exist.' : error.message,
            }
          : { type: 'loadFailed', httpStatus: 500, message: 'Something went wrong while loading.' };
    }
    dispatch(outcome);
  });
}

/** The effect that loads what the page lacks, or null when the state already holds it all. */
function missingData(state: BlogState, page: Page, api: BlogApi): Effect<BlogAction> | null {
  const post = (id: number) =>
    state.postsById[id]
      ? null
      : load((signal) => api.getPost(id, signal).then((p): BlogAction => ({ type: 'postLoaded', post: p })));
  switch (page.route) {
    case 'home':
      return state.posts
        ? null
        : load((signal) => api.listPosts(signal).then((posts): BlogAction => ({ type: 'postsLoaded', posts })));
    case 'post':
      return post(page.params.id);
    case 'subscribe':
      return state.subscribe.csrfToken
        ? null
        : load((signal) => api.csrfToken(signal).then((token): BlogAction => ({ type: 'csrfTokenLoaded', token })));
    case 'comments': {
      const id = page.params.id;
      const comments = state.commentsByPost[id]
        ? null
        : load((signal) =>
            api
              .listComments(id, signal)
              .then((list): BlogAction => ({ type: 'commentsLoaded', postId: id, comments: list })),
          );
      const needed = [post(id), comments].filter((effect) => effect !== null);
      return needed.length > 0 ? Effect.batch(...needed) : null;
    }
    default:
      return null;
  }
}

/** Shows a page and loads whatever it lacks; a newer navigation cancels an older load. */
function enter(state: BlogState, page: Page, api: BlogApi): readonly [BlogState, Effect<BlogAction>] {
  const effect = missingData(state, page, api);
  if (!effect) return [{ ...state, page, load: { status: 'ready' } }, Effect.cancel(LOAD_ID)];
  return [{ ...state, page, load: { status: 'loading' } }, Effect.cancellable(LOAD_ID, effect)];
}

/** Ready once nothing the page needs is missing, so parallel loads may finish in any order. */
function settle(state: BlogState, api: BlogApi): BlogState {
  if (state.load.status !== 'loading') return state;
  return missingData(state, state.page, api) ? state : { ...state, load: { status: 'ready' } };
}

const pagesReducer: Reducer<BlogState, BlogAction, BlogDependencies> = (state, action, { api }) => {
  switch (action.type) {
    case 'navigate':
      return enter(state, action.page, api);
    case 'retry':
      return enter(state, state.page, api);
    case 'postsLoaded':
      return [settle({ ...state, posts: action.posts }, api), Effect.none()];
    case 'postLoaded':
      return [
        settle({ ...state, postsById: { ...state.postsById, [action.post.id]: action.post } }, api),
        Effect.none(),
      ];
    case 'commentsLoaded':
      return [
        settle({ ...state, commentsByPost: { ...state.commentsByPost, [action.postId]: action.comments } }, api),
        Effect.none(),
      ];
    case 'loadFailed':
      return [
        { ...state, load: { status: 'failed', httpStatus: action.httpStatus, message: action.message } },
        Effect.cancel(LOAD_ID),
      ];
    case 'csrfTokenLoaded':
      return [settle(state, api), Effect.none()];
    default:
      return [state, Effect.none()];
  }
};

/** The form runs first, so a page waiting for its CSRF token sees the token when it settles. */
export const blogReducer: Reducer<BlogState, BlogAction, BlogDependencies> = combine(
  scope<BlogState, BlogAction, SubscribeForm, SubscribeAction, BlogDependencies>({
    state: 'subscribe',
    action: { embed: (action) => action, extract: (action) => (isSubscribeAction(action) ? action : undefined) },
    reducer: subscribeReducer,
  }),
  pagesReducer,
);
