import fp from 'fastify-plugin';
import { migrate } from './migrate.js';
import type { Database } from './open-database.js';

export interface DatabasePluginOptions {
  /** From `openDatabase()`; the app keeps its own typed reference to `database.db`. */
  readonly database: Database<Record<string, unknown>>;
  /** drizzle-kit's output folder: pending migrations are applied before the server starts. */
  readonly migrationsFolder?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's database (embedded or PostgreSQL), when the database plugin is registered. */
    database?: Database<Record<string, unknown>>;
  }
}

/**
 * Ties a database to the server's life: migrations before the first request (a failing one stops
 * start-up and leaves the database untouched), a `database` check on /ready, closed on shutdown
 * after the requests that use it have finished.
 */
export const databasePlugin = fp<DatabasePluginOptions>(
  async (fastify, options) => {
    const { database } = options;
    if (options.migrationsFolder) {
      const { applied } = await migrate(database.db, options.migrationsFolder);
      if (applied.length > 0) fastify.log.info({ applied, kind: database.kind }, 'database migrations applied');
    }
    fastify.decorate('database', database);
    if (fastify.hasDecorator('readiness')) fastify.readiness.checks.set('database', () => database.probe());
    fastify.addHook('onClose', async () => {
      await database.close();
    });
  },
  { name: 'composable-svelte-database', fastify: '5.x' },
);
