import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The transactional outbox: `events.emit(tx, …)` inserts a row here in the app's transaction, so
 * the event exists exactly when the data it describes does. Include this table in the app's
 * Drizzle schema (`export { outboxEvents } from '@composable-svelte/server/events'`) so the app's
 * migrations create it.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    /** Global emit order; within an aggregate, events are delivered in this order. */
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    /** What the event is about (`post:3`); one aggregate's events are delivered one at a time, in order. */
    aggregate: text('aggregate').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Not delivered before this (a failed delivery backs off). */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    /** Deliveries started, counted when claimed, so a crash mid-delivery counts too. */
    attempts: integer('attempts').notNull().default(0),
    /** Handlers that already succeeded: a retry runs only the others. */
    doneHandlers: text('done_handlers')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    lockedBy: text('locked_by'),
    /** The claim's lease: past it, another instance may deliver the event. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Set when the event used up its attempts (dead-lettered); it then no longer holds back its aggregate. */
    deadAt: timestamp('dead_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (table) => [
    index('outbox_events_pending')
      .on(table.aggregate, table.id)
      .where(sql`delivered_at is null and dead_at is null`),
    index('outbox_events_dead')
      .on(table.deadAt)
      .where(sql`dead_at is not null`),
    index('outbox_events_delivered')
      .on(table.deliveredAt)
      .where(sql`delivered_at is not null`),
  ],
);
