import type { Db } from '@composable-svelte/server/db';
import { users } from '@composable-svelte/server/auth';
import { arrayContains, asc, count, eq } from 'drizzle-orm';
import type { AdminUser } from '../../shared/admin.js';
import type { BlogSchema } from './schema.js';

/**
 * The accounts as the admin pages read them. Changing roles is not here: it goes through
 * `fastify.auth.setRoles`, which refreshes sessions and writes the audit log.
 */
export function createAccountDirectory(database: () => Db<BlogSchema>) {
  return {
    async users(limit: number): Promise<AdminUser[]> {
      const rows = await database()
        .select({ id: users.id, name: users.name, email: users.email, roles: users.roles, createdAt: users.createdAt })
        .from(users)
        .orderBy(asc(users.id))
        .limit(limit);
      return rows.map(({ createdAt, ...row }) => ({ ...row, createdAt: createdAt.toISOString() }));
    },

    async userRoles(userId: number): Promise<readonly string[] | undefined> {
      const [row] = await database().select({ roles: users.roles }).from(users).where(eq(users.id, userId));
      return row?.roles;
    },

    async adminCount(): Promise<number> {
      const [row] = await database()
        .select({ admins: count() })
        .from(users)
        .where(arrayContains(users.roles, ['admin']));
      return row?.admins ?? 0;
    },
  };
}

export type AccountDirectory = ReturnType<typeof createAccountDirectory>;
