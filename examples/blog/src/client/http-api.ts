import { ApiError, type BlogApi } from '../shared/api.js';
import type { Comment, Post, PostSummary } from '../shared/model.js';

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiError(0, 'The network request failed. Check your connection.');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new ApiError(response.status, body?.error?.message ?? `The server answered ${response.status}.`);
  }
  return (await response.json()) as T;
}

/** The browser side of BlogApi: the same JSON endpoints the server exposes. */
export function createHttpApi(): BlogApi {
  return {
    listPosts: (signal) => getJson<{ posts: PostSummary[] }>('/api/posts', signal).then((r) => r.posts),
    getPost: (id, signal) => getJson<{ post: Post }>(`/api/posts/${id}`, signal).then((r) => r.post),
    listComments: (id, signal) => getJson<{ comments: Comment[] }>(`/api/posts/${id}/comments`, signal).then((r) => r.comments),
  };
}
