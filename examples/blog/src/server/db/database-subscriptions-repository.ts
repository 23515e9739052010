import type { Db } from '@composable-svelte/server/db';
import { count } from 'drizzle-orm';
import type { SubscriptionsRepository } from '../subscriptions-repository.js';
import { subscribers, type BlogSchema } from './schema.js';

/** Subscribers in their table; the unique index on lower(email) decides "already subscribed". */
export function createDatabaseSubscriptionsRepository(database: () => Db<BlogSchema>): SubscriptionsRepository {
  return {
    async add({ name, email }) {
      const inserted = await database()
        .insert(subscribers)
        .values({ name, email })
        .onConflictDoNothing()
        .returning({ id: subscribers.id });
      return inserted.length > 0 ? 'added' : 'exists';
    },
    async count() {
      const [row] = await database().select({ n: count() }).from(subscribers);
      return row!.n;
    },
  };
}
