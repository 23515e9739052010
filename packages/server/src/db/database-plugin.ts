import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { migrate } from './migrate.js';
import type { Database } from './open-database.js';

export interface DatabasePluginOptions {
  /** From `openDatabase()`; the app keeps its own typed reference to `database.db`. */
  readonly database: Database<Record<string, unknown>>;
  /** drizzle-kit's output folder: pending migrations are applied before the server starts. */
  readonly migrationsFolder?: string;
  /** A statement slower than this is logged at warn with its name and duration (0: never). */
  readonly slowQueryMs?: number;
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
    const slowQueryMs = options.slowQueryMs ?? 500;
    const metrics = fastify.hasDecorator('metrics') ? databaseMetrics(fastify.metrics.registry, database) : undefined;
    database.observe(({ statement, durationMs, error }) => {
      metrics?.duration.observe({ statement, outcome: error ? 'error' : 'ok' }, durationMs / 1000);
      if (error) metrics?.errors.inc({ statement });
      if (slowQueryMs > 0 && durationMs >= slowQueryMs) {
        fastify.log.warn({ statement, durationMs: Math.round(durationMs) }, 'slow database query');
      }
    });
    fastify.decorate('database', database);
    if (fastify.hasDecorator('readiness')) fastify.readiness.checks.set('database', () => database.probe());
    fastify.addHook('onClose', async () => {
      await database.close();
    });
  },
  { name: 'composable-svelte-database', fastify: '5.x' },
);

function databaseMetrics(registry: Registry, database: Database<Record<string, unknown>>) {
  const seconds = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  new Gauge({
    name: 'db_pool_connections',
    help: 'PostgreSQL pool connections by state (total, idle, waiting for a connection)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const stats = database.poolStats();
      if (!stats) return;
      for (const [state, value] of Object.entries(stats)) this.set({ state }, value);
    },
  });
  return {
    duration: new Histogram({
      name: 'db_query_duration_seconds',
      help: 'Database statement duration by statement (verb and first table) and outcome',
      labelNames: ['statement', 'outcome'],
      buckets: seconds,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'db_query_errors_total',
      help: 'Database statements that failed, by statement',
      labelNames: ['statement'],
      registers: [registry],
    }),
  };
}
