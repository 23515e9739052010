import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { auditEvents, loginAttempts, sessions, users } from '@composable-svelte/server/auth';

/**
 * The framework's account tables, re-exported so this app's one migration history creates them
 * next to its own. `npm run db:generate` turns a change here into a new SQL migration in drizzle/.
 */
export { users, sessions, loginAttempts, auditEvents };

export const notes = pgTable(
  'notes',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    /** Set by the count-words job once the note is saved. */
    words: integer('words'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [index('notes_user_created').on(table.userId, table.createdAt)],
);

export const appSchema = { users, sessions, loginAttempts, auditEvents, notes };
export type AppSchema = typeof appSchema;
