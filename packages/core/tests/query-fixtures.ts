import { Effect, type Dependencies, type QueryKey, type QueryResult, type Reducer } from '../src/index.js';

/** A feature that loads posts by id through Effect.query, as the tests' subject. */
export interface Post {
  readonly id: number;
  readonly title: string;
}

export interface State {
  readonly posts: Readonly<Record<string, Post>>;
  readonly failure: { readonly kind: string; readonly status: number | undefined; readonly retryable: boolean } | null;
}

export type Action =
  | { readonly type: 'open'; readonly id: number }
  | { readonly type: 'leave' }
  | { readonly type: 'rename'; readonly id: number; readonly title: string }
  | { readonly type: 'renamed' }
  | { readonly type: 'loaded'; readonly post: Post; readonly cached: boolean }
  | {
      readonly type: 'failed';
      readonly kind: string;
      readonly status: number | undefined;
      readonly retryable: boolean;
    };

export interface PostsApi {
  getPost(id: number, signal: AbortSignal): Promise<Post>;
  rename(id: number, title: string): Promise<void>;
}

export type Deps = Dependencies & { readonly api: PostsApi };

export const STALE_TIME = 1_000;
export const CACHE_TIME = 10_000;
export const postKey = (id: number): QueryKey => ['post', id];
export const initialState: State = { posts: {}, failure: null };

const toAction = (result: QueryResult<Post>): Action =>
  result.status === 'success'
    ? { type: 'loaded', post: result.data, cached: result.cached }
    : { type: 'failed', kind: result.error.kind, status: result.error.status, retryable: result.error.retryable };

export const reducer: Reducer<State, Action, Deps> = (state, action, { api, queries }) => {
  switch (action.type) {
    case 'open':
      return [
        state,
        Effect.cancellable(
          'page',
          Effect.query(postKey(action.id), ({ signal }) => api.getPost(action.id, signal), {
            cache: queries,
            toAction,
            staleTime: STALE_TIME,
            cacheTime: CACHE_TIME,
            timeoutMs: 5_000,
          }),
        ),
      ];
    case 'leave':
      return [state, Effect.cancel('page')];
    case 'rename':
      return [
        state,
        Effect.mutate(() => api.rename(action.id, action.title), {
          cache: queries,
          invalidates: [['post']],
          toAction: (): Action => ({ type: 'renamed' }),
        }),
      ];
    case 'renamed':
      return [state, Effect.none()];
    case 'loaded':
      return [{ ...state, posts: { ...state.posts, [action.post.id]: action.post }, failure: null }, Effect.none()];
    case 'failed':
      return [
        { ...state, failure: { kind: action.kind, status: action.status, retryable: action.retryable } },
        Effect.none(),
      ];
  }
};

interface Call {
  readonly id: number;
  readonly signal: AbortSignal;
  resolve(post: Post): void;
  reject(error: unknown): void;
}

/** An API whose every request waits until the test answers it. */
export class ControlledApi implements PostsApi {
  readonly calls: Call[] = [];
  readonly renames: { id: number; title: string }[] = [];

  getPost(id: number, signal: AbortSignal): Promise<Post> {
    return new Promise((resolve, reject) => this.calls.push({ id, signal, resolve, reject }));
  }

  async rename(id: number, title: string): Promise<void> {
    this.renames.push({ id, title });
  }

  last(): Call {
    const call = this.calls.at(-1);
    if (!call) throw new Error('no request was made');
    return call;
  }
}

export const post = (id: number, title = `Post ${id}`): Post => ({ id, title });
