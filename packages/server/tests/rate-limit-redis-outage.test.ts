import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/errors/describe-error.js';
import type { RateLimitEvent } from '../src/security/rate-limit/events.js';
import { rateLimit } from '../src/security/rate-limit/plugin.js';
import { createRedisClient, redisStatus } from '../src/stores/redis-client.js';
import { redisReady } from '../src/stores/redis-ready.js';
import { requireRedisBinaries } from './support/redis-available.js';
import { createSpareRedis, type SpareRedis } from './support/redis-spare-server.js';

const binaries = requireRedisBinaries();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!binaries)('rate limiting while Redis is down', () => {
  let spare: SpareRedis | undefined;
  const clients: Redis[] = [];
  const apps: FastifyInstance[] = [];

  beforeAll(async () => {
    spare = await createSpareRedis(binaries!);
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    for (const client of clients.splice(0)) client.disconnect();
  });

  afterAll(async () => {
    await spare?.dispose();
  });

  /** An app limited to 2 requests per minute through the spare Redis, recording what it reports. */
  async function limitedApp(onBackendError: 'open' | 'closed', options: { waitUntilUp?: boolean } = {}) {
    const clientLog = { warn: [] as string[], info: [] as string[], error: [] as string[] };
    const redis = createRedisClient(spare!.url, {
      logger: {
        warn: (_obj, msg) => clientLog.warn.push(msg),
        info: (_obj, msg) => clientLog.info.push(msg),
        error: (_obj, msg) => clientLog.error.push(msg),
      },
    });
    clients.push(redis);
    if (options.waitUntilUp !== false) expect(await redisReady(redis, 5000)).toBe(true);
    const events: RateLimitEvent[] = [];
    const appLog: { msg: string }[] = [];
    const app = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => void appLog.push(JSON.parse(line)) } },
    });
    apps.push(app);
    // The app's real error rendering, in production mode.
    app.setErrorHandler(async (error, _request, reply) => {
      const { status, code, message } = describeError(error, true);
      return reply.code(status).send({ error: { status, code, message } });
    });
    await app.register(rateLimit, {
      max: 2,
      windowMs: 60_000,
      redis,
      keyPrefix: `cs:test:outage:${randomUUID()}:`,
      onBackendError,
      onEvent: (event) => events.push(event),
    });
    app.get('/', async () => 'ok');
    await app.ready();
    const hit = async () => {
      const started = performance.now();
      const response = await app.inject({ url: '/', remoteAddress: '203.0.113.20' });
      return { response, ms: performance.now() - started };
    };
    const storeWarnings = () => appLog.filter((line) => line.msg.startsWith('rate limit store unavailable')).length;
    return { redis, hit, events, clientLog, storeWarnings };
  }

  it('fail-open: serves within bounds while Redis is down, reports it once, and limits again once it is back', async () => {
    await spare!.start();
    const { redis, hit, events, clientLog, storeWarnings } = await limitedApp('open');
    expect([
      (await hit()).response.statusCode,
      (await hit()).response.statusCode,
      (await hit()).response.statusCode,
    ]).toEqual([200, 200, 429]);

    await spare!.stop();
    for (let i = 0; i < 5; i++) {
      const { response, ms } = await hit();
      expect(response.statusCode).toBe(200);
      expect(ms).toBeLessThan(1500);
      await sleep(200); // let reconnect attempts fail meanwhile: they must not be reported again
    }
    expect(redisStatus(redis)).toBe('down');
    expect(events.filter((e) => e.type === 'backend-error')).toEqual([{ type: 'backend-error', route: '*' }]);
    expect(storeWarnings()).toBe(1);
    expect(clientLog.warn).toEqual(['Redis connection lost; reconnecting in the background']);

    await spare!.start();
    // Nothing is recreated: the same client reconnects and the same limiter resumes.
    await waitFor(async () => (await hit()).response.statusCode === 429, 10_000, 'limiting to resume');
    expect(events.map((e) => e.type)).toEqual(['rejected', 'backend-error', 'backend-recovered', 'rejected']);
    expect(clientLog.info).toEqual(['Redis connection restored']);
  }, 30_000);

  it('fail-closed: answers 503 RATE_LIMIT_UNAVAILABLE with Retry-After at once, and serves again once Redis is back', async () => {
    await spare!.start();
    const { hit, events } = await limitedApp('closed');
    expect((await hit()).response.statusCode).toBe(200);

    await spare!.stop();
    for (let i = 0; i < 3; i++) {
      const { response, ms } = await hit();
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error.code).toBe('RATE_LIMIT_UNAVAILABLE');
      expect(ms).toBeLessThan(1000);
    }
    expect(events.filter((e) => e.type === 'backend-error')).toHaveLength(1);

    await spare!.start();
    await waitFor(async () => (await hit()).response.statusCode === 200, 10_000, 'requests to be served again');
    // The restarted Redis counts from zero: that was the first of 2 allowed.
    expect([(await hit()).response.statusCode, (await hit()).response.statusCode]).toEqual([200, 429]);
    expect(events.filter((e) => e.type === 'backend-recovered')).toHaveLength(1);
  }, 30_000);

  it('starts and serves while Redis has not come up yet', async () => {
    await spare!.stop();
    const { hit, clientLog } = await limitedApp('open', { waitUntilUp: false });
    const { response, ms } = await hit();
    expect(response.statusCode).toBe(200);
    expect(ms).toBeLessThan(1500);
    await waitFor(() => clientLog.warn.length > 0, 5000, 'the client to report Redis unreachable');
    expect(clientLog.warn).toEqual(['Redis unreachable; retrying in the background']);
    await spare!.start();
    await waitFor(async () => (await hit()).response.statusCode === 429, 10_000, 'limiting to start');
  }, 30_000);
});
