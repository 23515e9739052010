// The blog's posts exactly as its repository serves them (excerpts, comment counts, sanitized bodies,
// newest first). bench/lib/peer-data.mjs writes the JSON from examples/blog's seed before each build.
import data from '$lib/generated/data.json';

export interface PostSummary {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  readonly publishedAt: string;
  readonly excerpt: string;
  readonly commentCount: number;
}

export interface Post extends PostSummary {
  readonly bodyHtml: string;
}

const posts: readonly PostSummary[] = data.posts;
const postsById = new Map<number, Post>(data.details.map((post: Post) => [post.id, post]));

export const listPosts = (): readonly PostSummary[] => posts;
export const getPost = (id: number): Post | undefined => postsById.get(id);
