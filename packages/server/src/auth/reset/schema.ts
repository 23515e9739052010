import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../schema.js';

/**
 * Single-use tokens sent by mail: e-mail verification and password reset. Only the SHA-256 of a
 * token is stored, so a leaked table (a backup, a replica) grants nothing; consuming one deletes it.
 */
export const emailTokens = pgTable(
  'auth_email_tokens',
  {
    /** Hex SHA-256 of the token the mail carried. */
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose', { enum: ['verify-email', 'reset-password'] }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /**
     * The address the mail went to: a verification proves that address only, so it no longer
     * counts once the account's address has changed.
     */
    email: text('email').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    index('auth_email_tokens_user_id').on(table.userId, table.purpose),
    // Expired rows are purged whenever a token is issued; this keeps that cheap.
    index('auth_email_tokens_expires_at').on(table.expiresAt),
  ],
);

export type EmailTokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];
