import type { ApiKeyList, SessionSummary } from '../shared/account.js';
import type { AdminComment, AdminJobs, AdminUser } from '../shared/admin.js';
import { ApiError, type BlogApi } from '../shared/api.js';
import type { Comment, Post, PostSummary } from '../shared/model.js';

interface ErrorBody {
  error?: { message?: string; details?: readonly { path?: string; message?: string }[] };
}

/** Field problems from a 400's details, keyed by field name (`body.email` → `email`). */
function fieldErrorsOf(body: ErrorBody | null): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const detail of body?.error?.details ?? []) {
    const field = detail.path?.replace(/^body\./, '');
    if (field && detail.message && !(field in errors)) errors[field] = detail.message;
  }
  return errors;
}

async function requestJson<T>(path: string, signal: AbortSignal, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, signal, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiError(0, 'The network request failed. Check your connection.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    throw new ApiError(
      response.status,
      body?.error?.message ?? `The server answered ${response.status}.`,
      fieldErrorsOf(body),
    );
  }
  return (await response.json()) as T;
}

const getJson = <T>(path: string, signal: AbortSignal) => requestJson<T>(path, signal);

/** The browser side of BlogApi: the same JSON endpoints the server exposes. */
export function createHttpApi(): BlogApi {
  return {
    listPosts: (signal) => getJson<{ posts: PostSummary[] }>('/api/posts', signal).then((r) => r.posts),
    getPost: (id, signal) => getJson<{ post: Post }>(`/api/posts/${id}`, signal).then((r) => r.post),
    listComments: (id, signal) =>
      getJson<{ comments: Comment[] }>(`/api/posts/${id}/comments`, signal).then((r) => r.comments),
    csrfToken: (signal) => getJson<{ token: string }>('/api/csrf', signal).then((r) => r.token),
    listSessions: (signal) =>
      getJson<{ sessions: SessionSummary[] }>('/api/account/sessions', signal).then((r) => r.sessions),
    listApiKeys: (signal) => getJson<ApiKeyList>('/api/account/keys', signal),
    adminComments: (signal) =>
      getJson<{ comments: AdminComment[] }>('/api/admin/comments', signal).then((r) => r.comments),
    adminUsers: (signal) => getJson<{ users: AdminUser[] }>('/api/admin/users', signal).then((r) => r.users),
    adminJobs: (signal) => getJson<AdminJobs>('/api/admin/jobs', signal),
    subscribe: ({ csrfToken, ...input }, signal) =>
      requestJson<{ subscription: { name: string } }>('/subscribe', signal, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify(input),
      }).then((r) => r.subscription),
    addComment: (postId, { csrfToken, ...input }, signal) =>
      requestJson<{ comment: Comment }>(`/api/posts/${postId}/comments`, signal, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify(input),
      }).then((r) => r.comment),
  };
}
