import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  closeOpsServersAfterEach,
  metricValue,
  OPS_DEVELOPMENT_ENV,
  readMetrics,
  sleep,
  startOpsServer,
} from './support/ops-server.js';
import { requireRedis } from './support/redis-available.js';

closeOpsServersAfterEach();

interface ReadyBody {
  status: 'ready' | 'unavailable' | 'shutting-down';
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

const redisUrl = await requireRedis();

/** How long one run of the checks answers /ready. */
const CACHE_MS = 1000;

describe('/ready', () => {
  it('answers 200 ready with no checks when the app has no dependencies, never cached', async () => {
    const { server } = await startOpsServer();
    const response = await server.inject('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ status: 'ready', checks: {} });
  });

  it('reports a custom check up, with its latency', async () => {
    const { server } = await startOpsServer({
      readinessChecks: {
        database: async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      },
    });
    const response = await server.inject('/ready');
    expect(response.statusCode).toBe(200);
    const body = response.json<ReadyBody>();
    expect(body.status).toBe('ready');
    expect(body.checks.database!.status).toBe('up');
    expect(typeof body.checks.database!.latencyMs).toBe('number');
    expect(body.checks.database!.latencyMs).toBeGreaterThanOrEqual(15);
    expect(body.checks.database!.error).toBeUndefined();
  });

  it('answers 503 with the failing check down and its error message, the others still up', async () => {
    const { server } = await startOpsServer({
      readinessChecks: {
        cache: async () => {},
        database: async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
        },
      },
    });
    const response = await server.inject('/ready');
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<ReadyBody>();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database).toMatchObject({ status: 'down', error: 'connect ECONNREFUSED 10.0.0.5:5432' });
    expect(body.checks.cache!.status).toBe('up');
  });

  it('reports a hanging check down within READY_CHECK_TIMEOUT_MS, and aborts its signal', async () => {
    const signals: AbortSignal[] = [];
    const { server } = await startOpsServer({
      env: { READY_CHECK_TIMEOUT_MS: '100' },
      readinessChecks: {
        database: (signal) => {
          signals.push(signal);
          return new Promise(() => {});
        },
      },
    });
    const started = performance.now();
    const response = await server.inject('/ready');
    const elapsed = performance.now() - started;
    expect(response.statusCode).toBe(503);
    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(1000);
    const body = response.json<ReadyBody>();
    expect(body.checks.database!.status).toBe('down');
    expect(body.checks.database!.error).toMatch(/100 ms/);
    expect(body.checks.database!.latencyMs).toBeGreaterThanOrEqual(90);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('keeps dependency_up current from the checks', async () => {
    let healthy = true;
    const { server } = await startOpsServer({
      baseEnv: OPS_DEVELOPMENT_ENV,
      readinessChecks: {
        database: async () => {
          if (!healthy) throw new Error('down');
        },
      },
    });
    expect((await server.inject('/ready')).statusCode).toBe(200);
    expect(metricValue(await readMetrics(server), 'dependency_up', { dependency: 'database' })).toBe(1);
    healthy = false;
    await sleep(CACHE_MS + 100);
    expect((await server.inject('/ready')).statusCode).toBe(503);
    expect(metricValue(await readMetrics(server), 'dependency_up', { dependency: 'database' })).toBe(0);
  });

  it('is never rate limited', async () => {
    const { server } = await startOpsServer({
      env: { RATE_LIMIT_MAX: '1' },
      readinessChecks: { database: async () => {} },
    });
    for (let i = 0; i < 5; i++) expect((await server.inject('/ready')).statusCode).toBe(200);
    // The limit is real: a page request is refused after one.
    const pages = [(await server.inject('/')).statusCode, (await server.inject('/')).statusCode];
    expect(pages).toEqual([200, 429]);
    // ...and /ready still answers after the client is limited.
    expect((await server.inject('/ready')).statusCode).toBe(200);
    expect((await server.inject('/health')).statusCode).toBe(200);
  });
});

describe('/ready for callers off this host', () => {
  const PUBLIC_CLIENT = '203.0.113.9';
  const TOKEN = 'readiness-token-0123456789';
  const failing = {
    cache: async () => {},
    database: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5499');
    },
  };

  it('tells the public the status only: no check names, latencies or driver messages', async () => {
    const { server } = await startOpsServer({ readinessChecks: failing });
    const response = await server.inject({ url: '/ready', remoteAddress: PUBLIC_CLIENT });
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ status: 'unavailable' });
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('database');

    const { server: healthy } = await startOpsServer({ readinessChecks: { database: async () => {} } });
    const ready = await healthy.inject({ url: '/ready', remoteAddress: PUBLIC_CLIENT });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('shows the details with the metrics token as Bearer, not with a wrong one', async () => {
    const { server } = await startOpsServer({ env: { METRICS_TOKEN: TOKEN }, readinessChecks: failing });
    const withToken = await server.inject({
      url: '/ready',
      remoteAddress: PUBLIC_CLIENT,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(withToken.statusCode).toBe(503);
    expect(withToken.json<ReadyBody>().checks.database).toMatchObject({
      status: 'down',
      error: 'connect ECONNREFUSED 127.0.0.1:5499',
    });
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, 'Bearer ']) {
      const wrong = await server.inject({ url: '/ready', remoteAddress: PUBLIC_CLIENT, headers: { authorization } });
      expect(wrong.json(), authorization).toEqual({ status: 'unavailable' });
    }
  });

  it('treats a loopback request that a proxy forwarded as public', async () => {
    const { server } = await startOpsServer({ readinessChecks: failing });
    expect((await server.inject('/ready')).json<ReadyBody>().checks.database!.status).toBe('down');
    for (const headers of [
      { 'x-forwarded-for': PUBLIC_CLIENT },
      { forwarded: `for=${PUBLIC_CLIENT}` },
      { 'x-real-ip': PUBLIC_CLIENT },
    ]) {
      const response = await server.inject({ url: '/ready', headers });
      expect(response.json(), JSON.stringify(headers)).toEqual({ status: 'unavailable' });
    }
  });

  it('runs the checks once for a burst of calls, and again after a second', async () => {
    let runs = 0;
    const { server } = await startOpsServer({
      readinessChecks: {
        database: async () => {
          runs++;
          // Long enough for every call of the burst to arrive while this run is in flight.
          await sleep(300);
        },
      },
    });
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => server.inject({ url: '/ready', remoteAddress: PUBLIC_CLIENT })),
    );
    expect(burst.every((response) => response.statusCode === 200)).toBe(true);
    expect(runs).toBe(1);
    await sleep(CACHE_MS + 100);
    expect((await server.inject('/ready')).statusCode).toBe(200);
    expect(runs).toBe(2);
  });
});

describe('/ready during shutdown', () => {
  it('answers 503 shutting-down as soon as the shutdown starts, while in-flight requests finish', async () => {
    const { server } = await startOpsServer({ env: { PORT: '0', HOST: '127.0.0.1' } });
    const address = await server.start();
    const { port } = new URL(address);

    // A page that takes 30 ms keeps the server in its shutdown long enough to look at /ready.
    const slow = new Promise<number>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/mode/slow', agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      request.on('error', reject);
      request.end();
    });
    // Wait until the slow request is accepted.
    const deadline = Date.now() + 2000;
    while (server.inFlight().length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 2));
    expect(server.inFlight().map((r) => r.url)).toEqual(['/mode/slow']);

    const shutdown = server.shutdown();
    // The listener is closing, but inject still reaches the router: this is what /ready says now.
    expect(server.readiness.shuttingDown).toBe(true);
    const during = await server.inject('/ready');
    expect(during.statusCode).toBe(503);
    expect(during.json<ReadyBody>().status).toBe('shutting-down');
    expect(during.headers['cache-control']).toBe('no-store');

    expect(await slow).toBe(200);
    await shutdown;
    expect(server.inFlight()).toEqual([]);
  });

  it('answers 503 shutting-down even when every check is up', async () => {
    const { server } = await startOpsServer({ readinessChecks: { database: async () => {} } });
    server.readiness.shuttingDown = true;
    const response = await server.inject('/ready');
    expect(response.statusCode).toBe(503);
    const body = response.json<ReadyBody>();
    expect(body.status).toBe('shutting-down');
    expect(body.checks.database!.status).toBe('up');
  });
});

describe.runIf(redisUrl)('/ready with Redis', () => {
  it('reports redis up when REDIS_URL answers', async () => {
    const { server } = await startOpsServer({ env: { REDIS_URL: redisUrl! } });
    const response = await server.inject('/ready');
    expect(response.statusCode).toBe(200);
    const body = response.json<ReadyBody>();
    expect(body.checks.redis!.status).toBe('up');
    expect(typeof body.checks.redis!.latencyMs).toBe('number');
  });
});
