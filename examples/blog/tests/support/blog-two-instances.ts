import { randomBytes } from 'node:crypto';
import type { Tier } from '@composable-svelte/testing';
import { Redis } from 'ioredis';
import { loadBuiltApp } from './built-server.js';
import type { BlogServer } from './form-browser.js';
import { TEST_ENV } from './test-env.js';

type BlogServerOptions = NonNullable<Parameters<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>[0]>;

export interface TwoBlogInstances {
  readonly a: BlogServer;
  readonly b: BlogServer;
  /** Closes both, drops their database and deletes the Redis keys under their prefix. */
  close(): Promise<void>;
}

/**
 * Two blog instances on one fresh PostgreSQL database and one Redis, as a deployment with several
 * machines runs them. Their Redis keys live under a prefix of this run's own (`prefixName`), so
 * runs and test files never see each other's pages or messages. Started one after the other: both
 * apply migrations and install the job queue's schema, and the second finds nothing left to do.
 */
export async function startTwoBlogInstances(
  postgres: Tier,
  redisUrl: string,
  prefixName: string,
  env: Record<string, string> = {},
  options: Omit<BlogServerOptions, 'env'> = {},
): Promise<TwoBlogInstances> {
  const app = await loadBuiltApp();
  const fresh = await postgres.fresh();
  const prefix = `cs:test:${prefixName}:${randomBytes(6).toString('hex')}:`;
  const shared = {
    ...TEST_ENV,
    NODE_ENV: 'test',
    RATE_LIMIT_ENABLED: 'false',
    ...env,
    DATABASE_URL: fresh.url!,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
  };
  const started: BlogServer[] = [];
  const close = async () => {
    await Promise.all(started.map((server) => server.close()));
    await fresh.dispose();
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  };
  try {
    started.push(await app.createBlogServer({ ...options, env: shared }));
    started.push(await app.createBlogServer({ ...options, env: shared }));
  } catch (error) {
    await close();
    throw error;
  }
  return { a: started[0]!, b: started[1]!, close };
}
