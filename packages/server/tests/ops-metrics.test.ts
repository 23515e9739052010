import { connect } from 'node:net';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { notFound } from '../src/subpaths/errors.js';
import {
  closeOpsServersAfterEach,
  metricValue,
  OPS_DEVELOPMENT_ENV,
  readMetrics,
  startOpsServer,
} from './support/ops-server.js';
import { freePort } from './support/redis-spare-server.js';

closeOpsServersAfterEach();

const PROMETHEUS_TEXT = /^text\/plain; version=0\.0\.4/;
const TOKEN = 'metrics-token-0123456789abcdef';

const routes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/thing', async () => ({ thing: true }));
  fastify.get('/api/missing', async () => {
    throw notFound('No such thing');
  });
  fastify.get('/api/boom', async () => {
    throw new Error('internal failure');
  });
};

const json = { accept: 'application/json' };

/** Opens a fresh TCP connection: 'connected' or the error code (ECONNREFUSED once nothing listens). */
function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('/metrics in development', () => {
  it('is open and in Prometheus text format, with HTTP, SSR and process metrics', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, routes });
    expect((await server.inject('/')).statusCode).toBe(200);
    expect((await server.inject('/api/thing')).statusCode).toBe(200);

    const response = await server.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(PROMETHEUS_TEXT);
    expect(response.headers['cache-control']).toBe('no-store');
    const text = response.body;
    expect(text).toMatch(/^# HELP /m);
    expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);

    // The page went through the catch-all route; the JSON route is labelled by its pattern.
    expect(
      metricValue(text, 'http_request_duration_seconds_bucket', {
        route: '/*',
        method: 'GET',
        status_class: '2xx',
        le: '+Inf',
      }),
    ).toBe(1);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', {
        route: '/api/thing',
        method: 'GET',
        status_class: '2xx',
      }),
    ).toBe(1);
    // One page: one settle, one render.
    expect(metricValue(text, 'ssr_settle_duration_seconds_count', { outcome: 'settled' })).toBe(1);
    expect(metricValue(text, 'ssr_render_duration_seconds_count')).toBe(1);
    expect(metricValue(text, 'ssr_render_duration_seconds_bucket', { le: '+Inf' })).toBe(1);
    // Default process metrics.
    expect(metricValue(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(metricValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
  });

  it('counts error responses by code and status', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, routes });
    expect((await server.inject({ url: '/api/missing', headers: json })).statusCode).toBe(404);
    expect((await server.inject({ url: '/api/boom', headers: json })).statusCode).toBe(500);
    expect((await server.inject({ url: '/api/boom', headers: json })).statusCode).toBe(500);
    expect((await server.inject('/mode/throws')).statusCode).toBe(500);

    const text = await readMetrics(server);
    expect(metricValue(text, 'http_errors_total', { code: 'NOT_FOUND', status: '404' })).toBe(1);
    expect(metricValue(text, 'http_errors_total', { code: 'INTERNAL_SERVER_ERROR', status: '500' })).toBe(2);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', {
        route: '/api/boom',
        method: 'GET',
        status_class: '5xx',
      }),
    ).toBe(2);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', { route: '/*', method: 'GET', status_class: '5xx' }),
    ).toBe(1);
  });

  it('counts a 404 for an unknown URL in http_errors_total', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, routes });
    const response = await server.inject({ url: '/no/such/thing', method: 'POST', headers: json });
    expect(response.statusCode).toBe(404);
    expect(response.json<{ error: { code: string } }>().error.code).toBe('NOT_FOUND');
    expect(metricValue(await readMetrics(server), 'http_errors_total', { code: 'NOT_FOUND', status: '404' })).toBe(1);
  });

  it('counts rate-limit rejections', async () => {
    const { server } = await startOpsServer({ baseEnv: OPS_DEVELOPMENT_ENV, routes, env: { RATE_LIMIT_MAX: '2' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await server.inject({ url: '/api/thing', headers: json })).statusCode);
    expect(statuses).toEqual([200, 200, 429, 429]);
    // /metrics itself is not rate limited.
    const text = await readMetrics(server);
    expect(metricValue(text, 'rate_limit_rejections_total', { route: '/api/thing' })).toBe(2);
    expect(
      metricValue(text, 'http_request_duration_seconds_count', {
        route: '/api/thing',
        method: 'GET',
        status_class: '4xx',
      }),
    ).toBe(2);
  });
});

describe('/metrics in production', () => {
  it('is not served without METRICS_TOKEN or METRICS_PORT, and the start-up log says so', async () => {
    const { server, log } = await startOpsServer();
    await server.inject('/');
    const response = await server.inject({ url: '/metrics', headers: json });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('http_request_duration_seconds');
    expect(response.body).not.toContain('# HELP');
    const warnings = log
      .entries()
      .filter((entry) => entry.level === 40 && String(entry.msg).includes('/metrics is not served'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.msg)).toMatch(/METRICS_TOKEN/);
  });

  it('with METRICS_TOKEN answers 401 (with www-authenticate) without or with a wrong bearer, 200 with it', async () => {
    const { server } = await startOpsServer({ env: { METRICS_TOKEN: TOKEN } });
    const variants: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: 'Bearer wrong-token-0123456789abcdef' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}` },
    ];
    for (const headers of variants) {
      const response = await server.inject({ url: '/metrics', ...(headers ? { headers } : {}) });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.body).not.toContain('# HELP');
    }
    const ok = await server.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(PROMETHEUS_TEXT);
    expect(ok.body).toContain('process_resident_memory_bytes');
  });

  it('with METRICS_PORT is served on that port only, and closing the server closes both listeners', async () => {
    const metricsPort = await freePort();
    const { server } = await startOpsServer({
      env: { METRICS_PORT: String(metricsPort), PORT: '0', HOST: '127.0.0.1' },
    });
    const address = await server.start();
    const publicOrigin = address.replace('0.0.0.0', '127.0.0.1');
    const metricsOrigin = `http://127.0.0.1:${metricsPort}`;
    expect(publicOrigin).not.toBe(metricsOrigin);

    expect((await fetch(`${publicOrigin}/`, { signal: AbortSignal.timeout(2000) })).status).toBe(200);
    const onMetricsPort = await fetch(`${metricsOrigin}/metrics`, { signal: AbortSignal.timeout(2000) });
    expect(onMetricsPort.status).toBe(200);
    expect(onMetricsPort.headers.get('content-type')).toMatch(PROMETHEUS_TEXT);
    const text = await onMetricsPort.text();
    // The public listener's traffic is what the metrics port reports.
    expect(
      metricValue(text, 'http_request_duration_seconds_count', { route: '/*', method: 'GET', status_class: '2xx' }),
    ).toBe(1);

    const onPublicPort = await fetch(`${publicOrigin}/metrics`, { headers: json, signal: AbortSignal.timeout(2000) });
    expect(onPublicPort.status).toBe(404);
    expect(await onPublicPort.text()).not.toContain('# HELP');
    // Nothing but /metrics on the metrics port.
    expect((await fetch(`${metricsOrigin}/`, { signal: AbortSignal.timeout(2000) })).status).toBe(404);

    const publicPort = Number(new URL(publicOrigin).port);
    expect(await connectOutcome(publicPort)).toBe('connected');
    expect(await connectOutcome(metricsPort)).toBe('connected');
    await server.close();
    expect(await connectOutcome(publicPort)).toBe('ECONNREFUSED');
    expect(await connectOutcome(metricsPort)).toBe('ECONNREFUSED');
  });
});
