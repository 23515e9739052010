import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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

/**
 * Signed-in browsers. The primary key is the SHA-256 of the session token, never the token: a
 * leaked table (a backup, a replica, a SQL injection elsewhere) yields nothing that signs anyone in.
 */
export const sessions = pgTable(
  'auth_sessions',
  {
    /** Hex SHA-256 of the 256-bit token the cookie carries. */
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Written at most once per touch interval, not on every request. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Sliding: moves forward with use, never past `absoluteExpiresAt`. */
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, precision: 3 }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true, precision: 3 }).notNull(),
    /** What the session list shows as the device; truncated, never trusted for anything else. */
    userAgent: text('user_agent').notNull().default(''),
  },
  (table) => [index('auth_sessions_user').on(table.userId)],
);

export type Session = typeof sessions.$inferSelect;

/**
 * Failed sign-ins per account key (a keyed hash of the normalised e-mail typed, whether or not an
 * account has it, so the back-off itself reveals nothing and no typed address is kept). `blockedUntil` grows exponentially and is capped: an attacker
 * can slow an account's sign-in down but never lock it for good.
 */
export const loginAttempts = pgTable('auth_login_attempts', {
  accountKey: text('account_key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  blockedUntil: timestamp('blocked_until', { withTimezone: true, precision: 3 }),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** Security-relevant events (sign-ins, sign-outs, password and role changes, token and key events). */
export const auditEvents = pgTable(
  'auth_audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** e.g. `login.success`, `login.failure`, `logout`, `password.change`, `session.revoke`, `role.change`. */
    type: text('type').notNull(),
    /** Kept when the account is deleted (set null), so the trail survives it. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who did it when that is not the subject (an admin changing roles). */
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    ip: text('ip'),
    requestId: text('request_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [
    index('auth_audit_events_user_at').on(table.userId, table.at),
    index('auth_audit_events_type_at').on(table.type, table.at),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
