import type { LiveClient } from '@composable-svelte/core/live';
import type { ApiKeyList, SessionSummary } from './account.js';
import type { AdminComment, AdminJobs, AdminUser } from './admin.js';
import type { Comment, Post, PostSummary } from './model.js';

/** A failed data request, with enough detail for the UI to say what happened. */
export class ApiError extends Error {
  readonly status: number;
  /** Per-field problems of a rejected form, keyed by field name. */
  readonly fieldErrors: Readonly<Record<string, string>>;
  constructor(status: number, message: string, fieldErrors: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
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
  /** A CSRF token for this browser session (the response that carries it is private). */
  csrfToken(signal: AbortSignal): Promise<string>;
  /**
   * Rejects with ApiError(400) and fieldErrors when the input is invalid. An address already
   * subscribed succeeds exactly like a new one, so the answer never reveals who is on the list.
   */
  subscribe(input: { name: string; email: string; csrfToken: string }, signal: AbortSignal): Promise<{ name: string }>;
  /** The signed-in viewer's sessions; rejects with ApiError(401) when nobody is signed in. */
  listSessions(signal: AbortSignal): Promise<readonly SessionSummary[]>;
  /** The signed-in viewer's API keys (no secrets); rejects with ApiError(401) when nobody is signed in. */
  listApiKeys(signal: AbortSignal): Promise<ApiKeyList>;
  /** The admin pages' lists; reject with ApiError(401) signed out, 403 without the admin role. */
  adminComments(signal: AbortSignal): Promise<readonly AdminComment[]>;
  adminUsers(signal: AbortSignal): Promise<readonly AdminUser[]>;
  adminJobs(signal: AbortSignal): Promise<AdminJobs>;
  /**
   * Rejects with ApiError(400) and fieldErrors when the input is invalid (validateComment), with
   * ApiError(404) when the post does not exist.
   */
  addComment(
    postId: number,
    input: { author: string; body: string; csrfToken: string },
    signal: AbortSignal,
  ): Promise<Comment>;
}

export interface BlogDependencies {
  readonly api: BlogApi;
  /** The browser's live connection (`createLazyLiveClient`); the server renders without one. */
  readonly live?: LiveClient;
}
