import { sql } from 'drizzle-orm';
import { integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * The accounts table every auth feature keys on. An app includes the framework's auth tables in its
 * own Drizzle schema (re-export them from the schema file drizzle-kit reads), so one migration
 * history, owned by the app, creates them next to its own tables and its foreign keys to them.
 */
export const users = pgTable(
  'auth_users',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    email: text('email').notNull(),
    /** Null until the address is proven (a link in a mail, or a provider that vouches for it). */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, precision: 3 }),
    name: text('name').notNull(),
    /** An Argon2id PHC string; null for an account that only signs in through a provider. */
    passwordHash: text('password_hash'),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  // One account per address, whatever its case.
  (table) => [uniqueIndex('auth_users_email_lower').on(sql`lower(${table.email})`)],
);

export type User = typeof users.$inferSelect;
