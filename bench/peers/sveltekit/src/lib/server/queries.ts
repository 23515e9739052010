// Every statement the peer sends, in one place, with the shape of the blog's repository
// (examples/blog/src/server/db/database-posts-repository.ts): the post list newest first, and one
// post, each with the comment count the blog keeps in posts.comment_count (so neither counts rows).
import type { Post, PostSummary } from './model';

export const LIST_POSTS = `
  select id, title, author, published_at, excerpt, comment_count
  from posts
  order by published_at desc, id desc`;

export const GET_POST = `
  select id, title, author, published_at, excerpt, comment_count, body_html
  from posts
  where id = $1`;

export interface SummaryRow {
  id: number;
  title: string;
  author: string;
  published_at: Date;
  excerpt: string;
  comment_count: number;
}

export interface PostRow extends SummaryRow {
  body_html: string;
}

/** Dates travel as ISO 8601 strings, as the blog's repository gives them. */
export const summaryOf = (row: SummaryRow): PostSummary => ({
  id: row.id,
  title: row.title,
  author: row.author,
  publishedAt: row.published_at.toISOString(),
  excerpt: row.excerpt,
  commentCount: row.comment_count,
});

export const postOf = (row: PostRow): Post => ({ ...summaryOf(row), bodyHtml: row.body_html });
