import type { Db } from '@composable-svelte/server/db';
import { count } from 'drizzle-orm';
import type { SubscriptionsRepository } from '../subscriptions-repository.js';
import { subscribers, type BlogSchema } from './schema.js';

/** Subscribers in their table; the unique index on lower(email) decides "already subscribed". */
export function createDatabaseSubscriptionsRepository(db: Db<BlogSchema>): SubscriptionsRepository {
  return {
    async add({ name, email }) {
      const inserted = await db
        .insert(subscribers)
        .values({ name, email })
        .onConflictDoNothing()
        .returning({ id: subscribers.id });
      return inserted.length > 0 ? 'added' : 'exists';
    },
    async count() {
      const [row] = await db.select({ n: count() }).from(subscribers);
      return row!.n;
    },
  };
}
