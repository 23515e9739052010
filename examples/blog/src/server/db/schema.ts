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

export const blogSchema = { posts, comments, subscribers };
export type BlogSchema = typeof blogSchema;
