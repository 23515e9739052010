import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { Database } from '../db/open-database.js';
import type { ServerMetrics } from '../observability/metrics.js';
import type { PostgresPool } from '../stores/postgres-pool.js';
import { redisReady } from '../stores/redis-ready.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The PostgreSQL pool when DATABASE_URL is set. */
    pg?: PostgresPool;
    /** The Redis client when REDIS_URL is set: rate limits and the page cache share it. */
    redis?: Redis;
  }
}

/**
 * Redis (REDIS_URL) and the database (the app's, or a bare pool for DATABASE_URL) from the config: each reports on /ready and in
 * `dependency_up`, recovers by itself, and is closed with the server.
 */
export interface BackendsOptions {
  readonly metrics: ServerMetrics;
  readonly database?:
    Database<Record<string, unknown>> | (() => Promise<Database<Record<string, unknown>>>) | undefined;
  readonly migrationsFolder?: string | undefined;
}

async function backendsPlugin(fastify: FastifyInstance, options: BackendsOptions): Promise<void> {
  const { config } = fastify;
  const { metrics } = options;
  const onStateChange = (dependency: string) => (up: boolean) => {
    metrics.dependencyUp.set({ dependency }, up ? 1 : 0);
    metrics.dependencyStateChanges.inc({ dependency, state: up ? 'up' : 'down' });
  };
  if (options.database) {
    const database = typeof options.database === 'function' ? await options.database() : options.database;
    const { databasePlugin } = await import('../db/database-plugin.js');
    await fastify.register(databasePlugin, {
      database,
      slowQueryMs: config.databaseSlowQueryMs,
      ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    });
  } else if (config.databaseUrl) {
    // Imported only when configured (as the database plugin and its migrator above): pg and ioredis
    // are a good part of start-up time otherwise.
    const { createPostgresPool } = await import('../stores/postgres-pool.js');
    const pool = createPostgresPool(config.databaseUrl, {
      max: config.databasePoolMax,
      logger: fastify.log,
      onStateChange: onStateChange('database'),
    });
    fastify.decorate('pg', pool);
    fastify.readiness.checks.set('database', () => pool.probe());
    fastify.addHook('onClose', async () => {
      await pool.end();
    });
  }
  if (config.redisUrl) {
    const { createRedisClient } = await import('../stores/redis-client.js');
    const redis = createRedisClient(config.redisUrl, { logger: fastify.log, onStateChange: onStateChange('redis') });
    fastify.decorate('redis', redis);
    fastify.readiness.checks.set('redis', async () => {
      await redis.ping();
    });
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    // A moment for Redis to connect, so the first requests are counted (and, when failing closed, served).
    await redisReady(redis, 2000);
  }
}

export const backends = fp(backendsPlugin, {
  name: '@composable-svelte/backends',
  fastify: '5.x',
  dependencies: ['@composable-svelte/readiness'],
});
