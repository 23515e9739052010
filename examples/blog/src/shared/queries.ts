import { hashQueryKey, type QueryKey, type QuerySnapshot } from '@composable-svelte/core';
import type { BlogState } from './state.js';

/** How long an answer is shown without asking the server again: a blog changes rarely. */
export const STALE_TIME = 60_000;

export const postsKey = (): QueryKey => ['posts'];
export const postKey = (id: number): QueryKey => ['post', id];
export const commentsKey = (postId: number): QueryKey => ['comments', postId];

/**
 * When each query in the state was answered, by hashed key: the SSR handoff. The data itself is
 * already in the state (posts, postsById, commentsByPost), so only the times travel beside it.
 */
export type QueryStamps = Readonly<Record<string, number>>;

export function stamp(stamps: QueryStamps, key: QueryKey, updatedAt: number): QueryStamps {
  const hash = hashQueryKey(key);
  return stamps[hash] === updatedAt ? stamps : { ...stamps, [hash]: updatedAt };
}

export function stampOf(state: BlogState, key: QueryKey): number | undefined {
  return state.queries[hashQueryKey(key)];
}

/** The answers the server put in the state, for the browser's cache to start with. */
export function snapshotOf(state: BlogState): QuerySnapshot {
  const entries: { key: QueryKey; data: unknown }[] = [];
  if (state.posts) entries.push({ key: postsKey(), data: state.posts });
  for (const post of Object.values(state.postsById)) entries.push({ key: postKey(post.id), data: post });
  for (const [id, comments] of Object.entries(state.commentsByPost)) {
    entries.push({ key: commentsKey(Number(id)), data: comments });
  }
  return entries.flatMap(({ key, data }) => {
    const updatedAt = stampOf(state, key);
    return updatedAt === undefined ? [] : [{ key, data, updatedAt }];
  });
}
