/**
 * Two instances on one database and one Redis: a sign-out on one is honoured by the other at once,
 * though the other had the session in its per-process cache.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTiers } from '@composable-svelte/testing';
import { createRedisClient } from '../src/stores/redis-client.js';
import { Browser, startAuthServer, STRONG_PASSWORD } from './support/auth-server.js';
import { requireRedis } from './support/redis-available.js';
import { closeTestServers, eventually } from './support/test-server.js';

closeTestServers();

const redisUrl = await requireRedis();
const postgres = (await databaseTiers()).find((tier) => tier.name === 'postgres');

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

describe.runIf(redisUrl && postgres)('session revocation across instances (PostgreSQL + Redis)', () => {
  it('signing out everywhere on A makes B refuse the cookie it had cached', { timeout: 60_000 }, async () => {
    const opened = await postgres!.fresh();
    disposers.push(opened.dispose);
    const channel = `cs:auth:test:${randomUUID()}`;
    const clients = [createRedisClient(redisUrl!), createRedisClient(redisUrl!)];
    disposers.push(async () => {
      for (const client of clients) await client.quit().catch(() => client.disconnect());
    });
    // A long cache lifetime: only the published invalidation can explain B's refusal.
    const env = { AUTH_SESSION_CACHE_TTL_MS: '3600000' };
    const a = await startAuthServer({
      database: opened.database,
      env,
      redis: clients[0]!,
      invalidationChannel: channel,
    });
    const other = await (await import('@composable-svelte/server/db')).openDatabase({ url: opened.url! });
    disposers.unshift(() => other.close());
    const b = await startAuthServer({ database: other, env, redis: clients[1]!, invalidationChannel: channel });

    const onA = new Browser(a);
    await onA.post('/signup', { email: 'ada@example.org', name: 'Ada', password: STRONG_PASSWORD });
    const cookie = onA.jar.header();
    const onB = () => b.inject({ url: '/api/me', headers: { cookie } });
    // Wait for B's subscription, then make B cache the session.
    expect(await eventually(async () => (await onB()).statusCode === 200, 5000)).toBe(true);
    expect((await onB()).statusCode).toBe(200);

    expect((await onA.post('/account/sign-out-everywhere', {})).statusCode).toBe(303);
    expect(await eventually(async () => (await onB()).statusCode === 401, 2000)).toBe(true);
  });

  it(
    'without Redis each instance still refuses a revoked session once its row is gone',
    { timeout: 60_000 },
    async () => {
      const opened = await postgres!.fresh();
      disposers.push(opened.dispose);
      // No cache at all: every lookup reads the database, so B sees A's revocation immediately.
      const env = { AUTH_SESSION_CACHE_TTL_MS: '0' };
      const a = await startAuthServer({ database: opened.database, env, redis: null });
      const other = await (await import('@composable-svelte/server/db')).openDatabase({ url: opened.url! });
      disposers.unshift(() => other.close());
      const b = await startAuthServer({ database: other, env, redis: null });
      const onA = new Browser(a);
      await onA.post('/signup', { email: 'ada@example.org', name: 'Ada', password: STRONG_PASSWORD });
      const cookie = onA.jar.header();
      expect((await b.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
      await onA.post('/logout', {});
      expect((await b.inject({ url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
    },
  );
});
