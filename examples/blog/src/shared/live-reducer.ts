import { Effect, type Dependencies, type Reducer } from '@composable-svelte/core';
import type { LiveEvent } from '@composable-svelte/core/live';
import type { BlogDependencies } from './api.js';
import { commentOf, topicFor } from './live.js';
import type { Comment, PostSummary } from './model.js';
import { commentsKey, postKey } from './queries.js';
import type { BlogAction, BlogState } from './state.js';

const CONNECTION_ID = 'live';

/**
 * A comment the channel brought, once: the tab that posted it, a resume after a reconnect and an
 * outbox retry may all deliver it again, so it is added only when its id is new. The post's count
 * (post page, list) follows.
 */
function addComment(state: BlogState, comment: Comment): BlogState {
  const key = String(comment.postId);
  const comments = state.commentsByPost[key];
  if (comments?.some((known) => known.id === comment.id)) return state;
  const count = <P extends PostSummary>(post: P): P =>
    post.id === comment.postId ? { ...post, commentCount: post.commentCount + 1 } : post;
  const post = state.postsById[key];
  return {
    ...state,
    commentsByPost: comments ? { ...state.commentsByPost, [key]: [...comments, comment] } : state.commentsByPost,
    // A count is only bumped beside a list that was missing the comment, so it never counts one twice.
    postsById: post && comments ? { ...state.postsById, [key]: count(post) } : state.postsById,
    posts: state.posts && comments ? state.posts.map(count) : state.posts,
  };
}

function onLiveEvent(
  state: BlogState,
  event: LiveEvent,
  { queries }: Dependencies,
): readonly [BlogState, Effect<BlogAction>] {
  const current = event.type !== 'connection' && event.type !== 'ack' && event.topic === state.live.topic;
  switch (event.type) {
    case 'connection':
      return [{ ...state, live: { ...state.live, connection: event.state } }, Effect.none()];
    case 'presence':
      if (!current) return [state, Effect.none()];
      return [{ ...state, live: { ...state.live, readers: Object.keys(event.presence).length } }, Effect.none()];
    case 'event': {
      const comment = event.event === 'comment' ? commentOf(event.data) : undefined;
      if (!comment || `post/${comment.postId}` !== event.topic) return [state, Effect.none()];
      return [addComment(state, comment), Effect.none()];
    }
    case 'refetch': {
      // More was missed than the server keeps: what the page shows of the post is asked for again.
      const id = Number(event.topic.slice('post/'.length));
      return [
        state,
        Effect.run<BlogAction>((dispatch) => {
          queries.invalidate(commentsKey(id), postKey(id));
          if (current) dispatch({ type: 'retry' });
        }),
      ];
    }
    default:
      return [state, Effect.none()];
  }
}

/**
 * Opens the connection on the first page that has a channel (a post): a visit that never shows
 * one (the list, the forms) costs the server no socket and the browser no live chunk.
 */
function connect(
  state: BlogState,
  live: NonNullable<BlogDependencies['live']>,
  topic: string,
): readonly [BlogState, Effect<BlogAction>] {
  return [
    { ...state, live: { ...state.live, connection: { status: 'connecting' }, topic, readers: null } },
    Effect.batch(
      live.connect((event): BlogAction => ({ type: 'liveEvent', event }), CONNECTION_ID),
      live.join(topic),
    ),
  ];
}

/**
 * The live channel of the page shown, through the store: the connection is a subscription effect
 * whose events come back as `liveEvent` actions; a navigation leaves the old post's channel and
 * joins the new one. Runs after the page reducer, so it sees the page a navigation went to.
 */
export const liveReducer: Reducer<BlogState, BlogAction, BlogDependencies & Dependencies> = (
  state,
  action,
  dependencies,
) => {
  const { live } = dependencies;
  switch (action.type) {
    case 'liveStarted': {
      if (!live || !state.live.enabled || state.live.connection) return [state, Effect.none()];
      const topic = topicFor(state.page);
      return topic ? connect(state, live, topic) : [state, Effect.none()];
    }
    case 'navigate': {
      const topic = topicFor(state.page);
      if (!live || !state.live.enabled || topic === state.live.topic) return [state, Effect.none()];
      if (!state.live.connection) return topic ? connect(state, live, topic) : [state, Effect.none()];
      const previous = state.live.topic;
      return [
        { ...state, live: { ...state.live, topic, readers: null } },
        Effect.batch(...(previous ? [live.leave(previous)] : []), ...(topic ? [live.join(topic)] : [])),
      ];
    }
    case 'liveEvent':
      return onLiveEvent(state, action.event, dependencies);
    default:
      return [state, Effect.none()];
  }
};

/** What its chunk gives features.ts. */
export default liveReducer as Reducer<BlogState, BlogAction, BlogDependencies>;
