import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  closeOpsServersAfterEach,
  eventually,
  metricValue,
  OPS_DEVELOPMENT_ENV,
  readMetrics,
  startOpsServer,
} from './support/ops-server.js';

closeOpsServersAfterEach();

const routes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/thing', async () => ({ thing: true }));
};

/** Heap in use is always above one byte: once under-pressure has sampled, every app route is shed. */
const UNDER_PRESSURE = { LOAD_SHED_MAX_HEAP_USED_BYTES: '1' };

describe('load shedding', () => {
  it('answers 503 with Retry-After on pages and API routes, counts it, and keeps the probes up', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, env: UNDER_PRESSURE, routes });
    // under-pressure samples on an interval: wait (bounded) for the first sample.
    const shed = await eventually(async () => (await server.inject('/api/thing')).statusCode === 503, 3000, 50);
    expect(shed).toBe(true);
    const shedBefore = metricValue(await readMetrics(server), 'load_shed_total') ?? 0;
    expect(shedBefore).toBeGreaterThanOrEqual(1);

    const api = await server.inject({ url: '/api/thing', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(503);
    expect(api.headers['retry-after']).toBe('10');
    expect(api.headers['content-type']).toMatch(/^application\/json/);
    const error = api.json<{ error: { status: number; code: string; message: string; requestId: string } }>().error;
    expect(error.status).toBe(503);
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.requestId).toBe(api.headers['x-request-id']);

    const page = await server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(503);
    expect(page.headers['retry-after']).toBe('10');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/^<!doctype html>/i);
    expect(page.body).toContain('503');

    const asset = await server.inject('/assets/entry-abc123.js');
    expect(asset.statusCode).toBe(503);

    const metrics = await readMetrics(server);
    expect(metricValue(metrics, 'load_shed_total')).toBe(shedBefore + 3);
    expect(
      metricValue(metrics, 'http_errors_total', { code: 'SERVICE_UNAVAILABLE', status: '503' }),
    ).toBeGreaterThanOrEqual(3);

    // Orchestrator probes are outside the shed context: a busy process is not restarted.
    const health = await server.inject('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await server.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json<{ status: string }>().status).toBe('ready');
  });

  it('does not shed with the default thresholds', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, routes });
    // Give under-pressure time to sample at least once.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await server.inject('/api/thing')).statusCode).toBe(200);
    expect((await server.inject('/')).statusCode).toBe(200);
    expect(metricValue(await readMetrics(server), 'load_shed_total')).toBe(0);
  });

  it('does not shed a healthy server kept busy by a saturating load, with the default thresholds', async () => {
    // The rate limiter is not under test: one client this fast would be limited.
    const env = { RATE_LIMIT_ENABLED: 'false' };
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, env, routes });
    // 16 clients back to back for 2.5 s: the event loop is never idle (utilization near 1), yet
    // every request is answered in a few milliseconds. under-pressure samples at least twice.
    const statuses = new Map<number, number>();
    const until = Date.now() + 2500;
    const client = async () => {
      while (Date.now() < until) {
        const { statusCode } = await server.inject({ url: '/', headers: { accept: 'text/html' } });
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, client));
    expect([...statuses.keys()]).toEqual([200]);
    expect(metricValue(await readMetrics(server), 'load_shed_total')).toBe(0);
  });

  it('sheds in production too, with a safe message and no internals', async () => {
    const { server } = await startOpsServer({ env: UNDER_PRESSURE, routes });
    expect(await eventually(async () => (await server.inject('/api/thing')).statusCode === 503, 3000, 50)).toBe(true);
    const api = await server.inject({ url: '/api/thing', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(503);
    expect(api.headers['retry-after']).toBe('10');
    expect(api.body).not.toMatch(/\n\s+at /);
    expect(api.body).not.toContain('/work/');
    expect((await server.inject('/health')).statusCode).toBe(200);
  });
});
