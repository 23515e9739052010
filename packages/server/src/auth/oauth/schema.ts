import { index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../schema.js';

/**
 * Which provider identity signs in to which account. Keyed by the provider's subject, never by
 * e-mail: an address can change hands at the provider, the subject cannot.
 */
export const oauthAccounts = pgTable(
  'auth_oauth_accounts',
  {
    /** The provider's route name (`github`, `oidc`, …). */
    provider: text('provider').notNull(),
    /** The provider's stable id for the person (GitHub's numeric user id, OIDC's `sub`). */
    subject: text('subject').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The address the provider reported when the link was made, for the account page. */
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.subject] }),
    index('auth_oauth_accounts_user_id').on(table.userId),
  ],
);

export type OAuthAccount = typeof oauthAccounts.$inferSelect;
