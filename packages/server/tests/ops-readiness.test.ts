import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  closeOpsServersAfterEach,
  metricValue,
  OPS_DEVELOPMENT_ENV,
  readMetrics,
  startOpsServer,
} from './support/ops-server.js';
import { requireRedis } from './support/redis-available.js';

closeOpsServersAfterEach();

interface ReadyBody {
  status: 'ready' | 'unavailable' | 'shutting-down';
  checks: Record<string, { status: 'up' | 'down'; latencyMs: number; error?: string }>;
}

const redisUrl = await requireRedis();

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
    expect((await server.inject('/ready')).statusCode).toBe(503);
    expect(metricValue(await readMetrics(server), 'dependency_up', { dependency: 'database' })).toBe(0);
  });

  it('is never rate limited', async () => {
    const { server } = await startOpsServer({
      env: { RATE_LIMIT_MAX: '1' },
      readinessChecks: {
        flaky: (() => {
          let n = 0;
          return async () => {
            if (n++ % 2) throw new Error('flaky');
          };
        })(),
      },
    });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.inject('/ready')).statusCode);
    for (const status of statuses) expect([200, 503]).toContain(status);
    expect(statuses).toEqual([200, 503, 200, 503, 200]);
    // The limit is real: a page request is refused after one.
    const pages = [(await server.inject('/')).statusCode, (await server.inject('/')).statusCode];
    expect(pages).toEqual([200, 429]);
    // ...and /ready still answers after the client is limited.
    expect([200, 503]).toContain((await server.inject('/ready')).statusCode);
    expect((await server.inject('/health')).statusCode).toBe(200);
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
