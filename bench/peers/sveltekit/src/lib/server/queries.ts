// Every statement the peer sends, in one place, with the shape of the blog's repository
// (examples/blog/src/server/db/database-posts-repository.ts): the post list with comment counts,
// newest first, and one post with its count. When the blog stores a post's comment count in a column,
// only this file changes.
import type { Post, PostSummary } from './model';

export const LIST_POSTS = `
  select p.id, p.title, p.author, p.published_at, p.excerpt, count(c.id)::int as comment_count
  from posts p left join comments c on c.post_id = p.id
  group by p.id
  order by p.published_at desc, p.id desc`;

export const GET_POST = `
  select p.id, p.title, p.author, p.published_at, p.excerpt, count(c.id)::int as comment_count, p.body_html
  from posts p left join comments c on c.post_id = p.id
  where p.id = $1
  group by p.id`;

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
