import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { rateLimit } from '../src/security/rate-limit/plugin.js';
import { createRedisClient } from '../src/stores/redis-client.js';
import { redisReady } from '../src/stores/redis-ready.js';
import { requireRedis } from './support/redis-available.js';

const redisUrl = await requireRedis();

describe.skipIf(!redisUrl)('rate limit shared through Redis', () => {
  const clients: Redis[] = [];
  const apps: FastifyInstance[] = [];
  const prefixes: string[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  afterAll(async () => {
    const [client] = clients;
    if (client) {
      for (const prefix of prefixes) {
        const keys = await client.keys(`${prefix}*`);
        if (keys.length > 0) await client.del(...keys);
      }
    }
    await Promise.all(clients.map((c) => c.quit()));
  });

  /** Two instances, as two processes would be: each its own Redis connection, one key prefix. */
  async function twoInstances(max: number): Promise<[FastifyInstance, FastifyInstance]> {
    const keyPrefix = `cs:test:rl:${randomUUID()}:`;
    prefixes.push(keyPrefix);
    const instance = async () => {
      const redis = createRedisClient(redisUrl!);
      clients.push(redis);
      const app = Fastify();
      apps.push(app);
      await app.register(rateLimit, { max, windowMs: 60_000, redis, keyPrefix, onBackendError: 'closed' });
      app.get('/', async () => 'ok');
      app.post('/login', { config: { rateLimit: { max: 2, timeWindow: 60_000 } } }, async () => 'ok');
      await app.ready();
      expect(await redisReady(redis, 5000)).toBe(true);
      return app;
    };
    return [await instance(), await instance()];
  }

  it('enforces one limit across instances', async () => {
    const [a, b] = await twoInstances(3);
    const hit = (app: FastifyInstance) => app.inject({ url: '/', remoteAddress: '203.0.113.9' });
    const responses = [await hit(a), await hit(b), await hit(a), await hit(b), await hit(a)];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 429, 429]);
    expect(responses.slice(0, 3).map((r) => r.headers['ratelimit-remaining'])).toEqual(['2', '1', '0']);
    const retryAfter = Number(responses[3]!.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(58);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another client is untouched.
    expect((await b.inject({ url: '/', remoteAddress: '203.0.113.10' })).statusCode).toBe(200);
  });

  it('shares per-route limits too, separately from the global one', async () => {
    const [a, b] = await twoInstances(10);
    const login = (app: FastifyInstance) => app.inject({ method: 'POST', url: '/login', remoteAddress: '203.0.113.9' });
    expect([(await login(a)).statusCode, (await login(b)).statusCode, (await login(a)).statusCode]).toEqual([
      200, 200, 429,
    ]);
    const page = await b.inject({ url: '/', remoteAddress: '203.0.113.9' });
    expect(page.headers['ratelimit-remaining']).toBe('9');
  });
});
