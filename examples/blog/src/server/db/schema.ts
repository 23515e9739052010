import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { users } from '@composable-svelte/server/auth';

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
  /** The byline: the writer's account name when the post was created (the seed's essays have no account). */
  author: text('author').notNull(),
  /** Who may edit the post besides admins; null for the seed's essays and after the account is deleted. */
  authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }).notNull(),
  /** The last edit; null for a post never edited. */
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }),
  /** The writer's summary, else derived from the body when the post is written (post-content.ts), never per request. */
  excerpt: text('excerpt').notNull(),
  /** The Markdown its author wrote and edits; null for the seed's essays, which were not written in Markdown. */
  bodyMarkdown: text('body_markdown'),
  /** Rendered from the Markdown and sanitized when written; rendered as is. */
  bodyHtml: text('body_html').notNull(),
  /** The cover image's path under /uploads (the uploads plugin's random key); null without a cover. */
  coverUrl: text('cover_url'),
  /**
   * Kept equal to the post's visible (not hidden) rows in comments by the transactions that add,
   * delete, hide and show a comment: the list and the post page read it instead of counting
   * comments on every request.
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
    /** The account that wrote it, which may delete it; null for the seed's comments and deleted accounts. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /**
     * Hidden by a moderator: kept (it can be shown again, and reviewed), but out of the post's pages
     * and of its comment_count. An author's own delete removes the row instead.
     */
    hiddenAt: timestamp('hidden_at', { withTimezone: true, precision: 3 }),
    hiddenBy: integer('hidden_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    index('comments_post_id_created_at_id').on(table.postId, table.createdAt, table.id),
    // The moderation page lists the newest comments across every post.
    index('comments_created_at_id').on(table.createdAt, table.id),
  ],
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
 * Built documents the site serves as they are, rebuilt by a job (the RSS feed, hourly): every
 * instance serves the same bytes, and a request never builds one while a stored one exists.
 */
export const builtDocuments = pgTable('built_documents', {
  /** The path it is served at, e.g. `/feed.xml`. */
  path: text('path').primaryKey(),
  body: text('body').notNull(),
  builtAt: timestamp('built_at', { withTimezone: true, precision: 3 }).notNull(),
});

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

export const blogSchema = { posts, comments, subscribers, builtDocuments, commentNotices };
export type BlogSchema = typeof blogSchema;
