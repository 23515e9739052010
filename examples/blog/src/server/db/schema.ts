import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The framework's account tables (users, sessions, sign-in back-off, audit events): re-exported
 * here so the blog's one migration history creates them next to its own tables.
 */
export { users, sessions, loginAttempts, auditEvents } from '@composable-svelte/server/auth';
/** The API token tables (signing keys, refresh-token families, refresh tokens, API keys), likewise. */
export { signingKeys, tokenFamilies, refreshTokens, apiKeys } from '@composable-svelte/server/auth';
/** The single-use links mailed for password reset and e-mail verification (only their hashes), likewise. */
export { emailTokens } from '@composable-svelte/server/auth';
/** Which provider identities (GitHub, OpenID Connect subjects) sign in which account, likewise. */
export { oauthAccounts } from '@composable-svelte/server/auth';
/** The transactional outbox (`comment.created`): written in the comment's transaction, delivered after commit. */
export { outboxEvents } from '@composable-svelte/server/events';

/** The blog's tables. `npm run db:generate` turns changes here into a new SQL migration in drizzle/. */
export const posts = pgTable('posts', {
  id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
  title: text('title').notNull(),
  author: text('author').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }).notNull(),
  /** Derived from the body when the post is written (see post-content.ts), never per request. */
  excerpt: text('excerpt').notNull(),
  /** Sanitized when written; rendered as is. */
  bodyHtml: text('body_html').notNull(),
  /**
   * Kept equal to the post's rows in comments by the transaction that adds a comment: the list and
   * the post page read it instead of counting comments on every request.
   */
  commentCount: integer('comment_count').notNull().default(0),
});

export const comments = pgTable(
  'comments',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    author: text('author').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('comments_post_id_created_at_id').on(table.postId, table.createdAt, table.id)],
);

export const subscribers = pgTable(
  'subscribers',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    subscribedAt: timestamp('subscribed_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  // One subscription per address, whatever its case.
  (table) => [uniqueIndex('subscribers_email_lower').on(sql`lower(${table.email})`)],
);

/**
 * The last comment of each post that a notification mail covered: the next notice collects the
 * comments after it, so a batch holds each comment once however the jobs ran.
 */
export const commentNotices = pgTable('comment_notices', {
  postId: integer('post_id')
    .primaryKey()
    .references(() => posts.id, { onDelete: 'cascade' }),
  lastCommentId: integer('last_comment_id').notNull(),
  notifiedAt: timestamp('notified_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export const blogSchema = { posts, comments, subscribers, commentNotices };
export type BlogSchema = typeof blogSchema;
