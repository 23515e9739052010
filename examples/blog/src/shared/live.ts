import type { ConnectionState } from '@composable-svelte/core/live';
import type { Comment } from './model.js';
import type { Page } from './state.js';

export interface LiveState {
  /** The blog serves `/live` (it does with its database); a blog without it never connects. */
  readonly enabled: boolean;
  /** Null until the browser opens the connection; the server never does. */
  readonly connection: ConnectionState | null;
  /** The channel of the page shown (joined, or joined once the socket is open). */
  readonly topic: string | null;
  /** Readers of that channel now, this one included; null until the server has said. */
  readonly readers: number | null;
}

export const initialLiveState = (enabled: boolean): LiveState => ({
  enabled,
  connection: null,
  topic: null,
  readers: null,
});

/** A post's page and its comments page follow the post's channel; other pages none. */
export function topicFor(page: Page): string | null {
  return page.route === 'post' || page.route === 'comments' ? `post/${page.params.id}` : null;
}

/** The comment a `comment` event carries, or undefined for anything else (it crossed the network). */
export function commentOf(data: unknown): Comment | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { id, postId, author, body, createdAt } = data as Record<string, unknown>;
  if (!Number.isInteger(id) || !Number.isInteger(postId)) return undefined;
  if (typeof author !== 'string' || typeof body !== 'string' || typeof createdAt !== 'string') return undefined;
  return { id: id as number, postId: postId as number, author, body, createdAt };
}

/**
 * A fresh list from the server, plus the comments the live channel brought that are newer than
 * anything in it: a load that started before they were written must not make them disappear.
 */
export function withLiveComments(
  previous: readonly Comment[] | undefined,
  loaded: readonly Comment[],
): readonly Comment[] {
  const newest = loaded.reduce((max, comment) => Math.max(max, comment.id), 0);
  const newer = (previous ?? []).filter((comment) => comment.id > newest);
  return newer.length === 0 ? loaded : [...loaded, ...newer];
}
