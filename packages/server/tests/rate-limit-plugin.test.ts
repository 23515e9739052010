import { once } from 'node:events';
import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../src/errors/http-error.js';
import type { RateLimitEvent } from '../src/security/rate-limit/events.js';
import { rateLimit, type RateLimitOptions } from '../src/security/rate-limit/plugin.js';

const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

interface Harness {
  app: FastifyInstance;
  /** Errors that reached the central error handler. */
  handled: Error[];
  events: RateLimitEvent[];
  advance(ms: number): void;
}

/** An app shaped like createServer's: limiter first, then routes, one error handler rendering by Accept. */
async function harness(
  options: Partial<RateLimitOptions> = {},
  fastifyOptions: { trustProxy?: boolean } = {},
): Promise<Harness> {
  let clock = 1_000_000;
  const handled: Error[] = [];
  const events: RateLimitEvent[] = [];
  const app = Fastify(fastifyOptions);
  apps.push(app);
  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    handled.push(error);
    const status = error instanceof HttpError ? error.statusCode : 500;
    if ((request.headers.accept ?? '').includes('application/json')) {
      return reply.code(status).send({ error: { status, code: error.code, message: error.message } });
    }
    return reply.code(status).type('text/html; charset=utf-8').send(`<h1>${status}</h1><p>${error.message}</p>`);
  });
  await app.register(rateLimit, {
    max: 3,
    windowMs: 60_000,
    now: () => clock,
    onEvent: (event) => events.push(event),
    ...options,
  });
  app.get('/', async () => ({ ok: true }));
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/assets/*', async () => 'asset');
  app.get('/favicon.ico', async () => 'icon');
  app.post('/login', { config: { rateLimit: { max: 2, timeWindow: 30_000 } } }, async () => ({ ok: true }));
  app.get('/login', { config: { rateLimit: { max: 2, timeWindow: 30_000 } } }, async () => ({ ok: true }));
  app.get('/otp/send', { config: { rateLimit: { max: 2, timeWindow: '1 minute', groupId: 'otp' } } }, async () => ({
    ok: true,
  }));
  app.get('/otp/resend', { config: { rateLimit: { max: 2, timeWindow: '1 minute', groupId: 'otp' } } }, async () => ({
    ok: true,
  }));
  app.get('/unlimited', { config: { rateLimit: false } }, async () => ({ ok: true }));
  await app.ready();
  return { app, handled, events, advance: (ms) => (clock += ms) };
}

const get = (
  app: FastifyInstance,
  url: string,
  extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
) =>
  app.inject({ method: 'GET', url, remoteAddress: extra.remoteAddress ?? '203.0.113.7', headers: extra.headers ?? {} });

describe('rate limit plugin (memory store)', () => {
  it('announces limit, decreasing remaining and reset on every counted response', async () => {
    const { app } = await harness();
    const responses = [await get(app, '/'), await get(app, '/'), await get(app, '/')];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    expect(responses.map((r) => r.headers['ratelimit-limit'])).toEqual(['3', '3', '3']);
    expect(responses.map((r) => r.headers['ratelimit-remaining'])).toEqual(['2', '1', '0']);
    expect(responses.map((r) => r.headers['ratelimit-reset'])).toEqual(['60', '60', '60']);
  });

  it('refuses the request after max with 429, Retry-After and a RATE_LIMITED error for the error handler', async () => {
    const { app, handled, events } = await harness();
    for (let i = 0; i < 3; i++) await get(app, '/');
    const json = await get(app, '/', { headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(429);
    expect(json.headers['retry-after']).toBe('60');
    expect(json.headers['ratelimit-remaining']).toBe('0');
    expect(json.json()).toEqual({
      error: {
        status: 429,
        code: 'RATE_LIMITED',
        message: 'Too many requests: limit is 3 per 60 seconds; retry in 60 seconds',
      },
    });
    const html = await get(app, '/', { headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(429);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body).toContain('limit is 3 per 60 seconds');
    expect(handled.map((e) => [(e as HttpError).statusCode, (e as HttpError).code])).toEqual([
      [429, 'RATE_LIMITED'],
      [429, 'RATE_LIMITED'],
    ]);
    expect(events).toEqual([
      { type: 'rejected', route: '/', key: '203.0.113.7' },
      { type: 'rejected', route: '/', key: '203.0.113.7' },
    ]);
  });

  it('slides: a slot frees exactly when the oldest counted request is one window old', async () => {
    const { app, advance } = await harness();
    await get(app, '/'); // t = 0
    advance(30_000);
    await get(app, '/'); // t = 30 s
    advance(10_000);
    await get(app, '/'); // t = 40 s
    advance(10_000);
    const refused = await get(app, '/'); // t = 50 s: the first request frees its slot at 60 s
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');
    advance(9_999);
    expect((await get(app, '/')).statusCode).toBe(429);
    advance(1);
    const allowed = await get(app, '/'); // t = 60 s
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['ratelimit-remaining']).toBe('0');
    expect(allowed.headers['ratelimit-reset']).toBe('30'); // the 30 s request leaves at 90 s
  });

  it('never counts assets, health and readiness probes, or the favicon', async () => {
    const { app } = await harness({ max: 1 });
    for (let i = 0; i < 5; i++) {
      for (const url of ['/health', '/assets/app.js', '/favicon.ico', '/ready']) {
        const response = await get(app, url);
        expect(response.statusCode).not.toBe(429);
        expect(response.headers['ratelimit-limit']).toBeUndefined();
      }
    }
    const page = await get(app, '/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['ratelimit-remaining']).toBe('0');
  });

  it('counts reads of those paths that are not exactly a probe, the favicon or a well-formed asset name', async () => {
    const { app } = await harness({ max: 10 });
    const urls = [
      '/assets/a..b',
      '/assets/.env',
      '/favicon.ico?x',
      '/health?verbose=1',
      '/assets/app.js?v=2',
      '/ready',
    ];
    const remaining = [];
    for (const url of urls) remaining.push((await get(app, url)).headers['ratelimit-remaining']);
    // /ready has no route in this app: the not-found path is never exempt.
    expect(remaining).toEqual(['9', '8', '7', '6', '5', undefined]);
  });

  it('counts every method but GET and HEAD on probe and asset paths', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(rateLimit, { max: 10 });
    app.route({ method: ['GET', 'POST', 'DELETE'], url: '/health', handler: async () => ({ status: 'ok' }) });
    app.route({ method: ['GET', 'PUT'], url: '/assets/*', handler: async () => 'asset' });
    const counted = [
      await app.inject({ method: 'POST', url: '/health', remoteAddress: '203.0.113.7' }),
      await app.inject({ method: 'DELETE', url: '/health', remoteAddress: '203.0.113.7' }),
      await app.inject({ method: 'PUT', url: '/assets/app.js', remoteAddress: '203.0.113.7' }),
    ];
    expect(counted.map((r) => r.headers['ratelimit-remaining'])).toEqual(['9', '8', '7']);
    const free = await app.inject({ method: 'HEAD', url: '/assets/app.js', remoteAddress: '203.0.113.7' });
    expect(free.headers['ratelimit-remaining']).toBeUndefined();
  });

  it('gives a route with its own config a separate, stricter counter', async () => {
    const { app } = await harness({ max: 10 });
    const login = [];
    for (let i = 0; i < 3; i++)
      login.push(
        await app.inject({
          method: 'POST',
          url: '/login',
          remoteAddress: '203.0.113.7',
          headers: { accept: 'application/json' },
        }),
      );
    expect(login.map((r) => r.statusCode)).toEqual([200, 200, 429]);
    expect(login[0]!.headers['ratelimit-limit']).toBe('2');
    expect(login[2]!.json().error.message).toBe('Too many requests: limit is 2 per 30 seconds; retry in 30 seconds');
    const page = await get(app, '/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['ratelimit-limit']).toBe('10');
    expect(page.headers['ratelimit-remaining']).toBe('9');
  });

  it('counts HEAD with GET on a limited route, and routes sharing a groupId together', async () => {
    const { app } = await harness();
    await get(app, '/login');
    await get(app, '/login');
    expect((await app.inject({ method: 'HEAD', url: '/login', remoteAddress: '203.0.113.7' })).statusCode).toBe(429);
    await get(app, '/otp/send');
    await get(app, '/otp/resend');
    const third = await get(app, '/otp/send', { headers: { accept: 'application/json' } });
    expect(third.statusCode).toBe(429);
    expect(third.json().error.message).toMatch(/limit is 2 per 60 seconds/);
  });

  it('leaves routes with rateLimit: false alone', async () => {
    const { app } = await harness({ max: 1 });
    for (let i = 0; i < 3; i++) expect((await get(app, '/unlimited')).statusCode).toBe(200);
  });

  it('counts each client address separately', async () => {
    const { app } = await harness({ max: 1 });
    expect((await get(app, '/', { remoteAddress: '198.51.100.1' })).statusCode).toBe(200);
    expect((await get(app, '/', { remoteAddress: '198.51.100.2' })).statusCode).toBe(200);
    expect((await get(app, '/', { remoteAddress: '198.51.100.1' })).statusCode).toBe(429);
  });

  it('ignores X-Forwarded-For unless Fastify trusts the proxy', async () => {
    const direct = await harness({ max: 1 });
    expect((await get(direct.app, '/', { headers: { 'x-forwarded-for': '192.0.2.1' } })).statusCode).toBe(200);
    expect((await get(direct.app, '/', { headers: { 'x-forwarded-for': '192.0.2.2' } })).statusCode).toBe(429);

    const proxied = await harness({ max: 1 }, { trustProxy: true });
    expect((await get(proxied.app, '/', { headers: { 'x-forwarded-for': '192.0.2.1' } })).statusCode).toBe(200);
    expect((await get(proxied.app, '/', { headers: { 'x-forwarded-for': '192.0.2.2' } })).statusCode).toBe(200);
    expect((await get(proxied.app, '/', { headers: { 'x-forwarded-for': '192.0.2.1' } })).statusCode).toBe(429);
  });

  it('keeps serving when the metrics hook throws', async () => {
    const { app } = await harness({
      max: 1,
      onEvent: () => {
        throw new Error('metrics down');
      },
    });
    await get(app, '/');
    expect((await get(app, '/')).statusCode).toBe(429);
  });

  it('limits unknown URLs when the not-found handler opts in with fastify.rateLimit()', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(rateLimit, { max: 2 });
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (_request, reply) =>
      reply.code(404).send('Not Found'),
    );
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await app.inject({ url: `/probe-${i}`, remoteAddress: '203.0.113.7' })).statusCode);
    expect(statuses).toEqual([404, 404, 429]);
  });

  it('is no error when the client has gone before its request is counted', async () => {
    const app = Fastify({ logger: false });
    apps.push(app);
    const failures: unknown[] = [];
    app.setErrorHandler(async (error, _request, reply) => {
      failures.push(error);
      return reply.code(500).send();
    });
    let gone!: (address: string | undefined) => void;
    const reached = new Promise<string | undefined>((resolve) => (gone = resolve));
    // Runs before the limiter's hook: holds the request until its client has hung up, as a
    // loaded server does when a health poll is aborted, so the limiter finds no client address.
    app.addHook('onRequest', async (request) => {
      if (!request.raw.socket.destroyed) await once(request.raw.socket, 'close');
      gone(request.ip);
    });
    await app.register(rateLimit, { max: 3 });
    app.get('/', async () => 'ok');
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
      setTimeout(() => socket.destroy(), 50);
    });
    expect(await reached).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failures).toEqual([]);
  });

  it('refuses configurations it cannot enforce at registration', async () => {
    for (const options of [{ max: 0 }, { max: Number.NaN }, { windowMs: -1 }, { onBackendError: 'maybe' as 'open' }]) {
      const app = Fastify();
      apps.push(app);
      await expect(app.register(rateLimit, options).ready()).rejects.toThrow(/rate limit/);
    }
  });

  it('refuses two limits for one shared counter at route registration', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(rateLimit, { max: 10 });
    app.get('/a', { config: { rateLimit: { max: 2, groupId: 'g' } } }, async () => 'a');
    expect(() => app.get('/b', { config: { rateLimit: { max: 3, groupId: 'g' } } }, async () => 'b')).toThrow(
      /shares the counter "group:g"/,
    );
  });
});
