import type { Comment, Post, PostSummary } from './model.js';

/** A failed data request, with enough detail for the UI to say what happened. */
export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * The data the reducer's effects load. The server implements it on the repository directly; the
 * browser implements it over the JSON endpoints. The reducer cannot tell them apart.
 */
export interface BlogApi {
  listPosts(signal: AbortSignal): Promise<readonly PostSummary[]>;
  /** Rejects with ApiError(404) when the post does not exist. */
  getPost(id: number, signal: AbortSignal): Promise<Post>;
  /** Rejects with ApiError(404) when the post does not exist. */
  listComments(postId: number, signal: AbortSignal): Promise<readonly Comment[]>;
}

export interface BlogDependencies {
  readonly api: BlogApi;
}
