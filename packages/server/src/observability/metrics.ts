import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from '../errors/error-response.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every instrument the framework records; plugins reach it through `fastify.metrics`. */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'route' | 'method' | 'status_class'>;
  readonly ssrSettleDuration: Histogram<'outcome'>;
  readonly ssrRenderDuration: Histogram;
  readonly rateLimitRejections: Counter<'route'>;
  readonly rateLimitBackendErrors: Counter;
  readonly errors: Counter<'code' | 'status'>;
  readonly unhandled: Counter<'kind'>;
  readonly dependencyUp: Gauge<'dependency'>;
  readonly dependencyStateChanges: Counter<'dependency' | 'state'>;
  readonly loadShed: Counter;
  readonly pageCache: Counter<'event'>;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: ServerMetrics;
  }
}

/**
 * A registry per server, not prom-client's global one: two servers in one process (tests, a
 * metrics port next to the public one) must not fight over metric names.
 */
export function createServerMetrics(prefix = ''): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix });
  const seconds = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: 'HTTP request duration by route, method and status class',
      labelNames: ['route', 'method', 'status_class'],
      buckets: seconds,
      registers: [registry],
    }),
    ssrSettleDuration: new Histogram({
      name: `${prefix}ssr_settle_duration_seconds`,
      help: 'Time a page waited for its effects to settle',
      labelNames: ['outcome'],
      buckets: seconds,
      registers: [registry],
    }),
    ssrRenderDuration: new Histogram({
      name: `${prefix}ssr_render_duration_seconds`,
      help: 'Time spent rendering a page with svelte/server',
      buckets: seconds,
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: `${prefix}rate_limit_rejections_total`,
      help: 'Requests refused with 429',
      labelNames: ['route'],
      registers: [registry],
    }),
    rateLimitBackendErrors: new Counter({
      name: `${prefix}rate_limit_backend_errors_total`,
      help: 'Rate-limit decisions made without the backend (Redis unreachable)',
      registers: [registry],
    }),
    errors: new Counter({
      name: `${prefix}http_errors_total`,
      help: 'Error responses by code and status',
      labelNames: ['code', 'status'],
      registers: [registry],
    }),
    unhandled: new Counter({
      name: `${prefix}process_unhandled_errors_total`,
      help: 'Unhandled promise rejections and uncaught exceptions',
      labelNames: ['kind'],
      registers: [registry],
    }),
    dependencyUp: new Gauge({
      name: `${prefix}dependency_up`,
      help: '1 when a dependency answers, 0 when it does not',
      labelNames: ['dependency'],
      registers: [registry],
    }),
    dependencyStateChanges: new Counter({
      name: `${prefix}dependency_state_changes_total`,
      help: 'Times a dependency went down or came back',
      labelNames: ['dependency', 'state'],
      registers: [registry],
    }),
    pageCache: new Counter({
      name: `${prefix}page_cache_events_total`,
      help: 'Page cache hits, misses, stale hits, background refreshes, stores, shared renders, invalidations, errors',
      labelNames: ['event'],
      registers: [registry],
    }),
    loadShed: new Counter({
      name: `${prefix}load_shed_total`,
      help: 'Requests refused with 503 because the process was under pressure',
      registers: [registry],
    }),
  };
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface MetricsOptions {
  readonly metrics: ServerMetrics;
  /** Serve GET /metrics on this instance (false when a separate port serves it). */
  readonly expose: boolean;
  /** Bearer token required to read /metrics here. */
  readonly token?: string;
}

async function metricsPlugin(fastify: FastifyInstance, options: MetricsOptions): Promise<void> {
  const { metrics } = options;
  fastify.decorate('metrics', metrics);

  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        route: request.routeOptions.url ?? 'not_found',
        method: request.method,
        status_class: statusClass(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });

  // `auth: false`: the metrics token is a bearer credential the accounts' authenticators must not read.
  if (options.expose)
    fastify.get('/metrics', { config: { rateLimit: false, auth: false } }, metricsHandler(metrics, options.token));
}

export function metricsHandler(metrics: ServerMetrics, token: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (token !== undefined && !tokenMatches(request.headers.authorization, token)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendError(request, reply, {
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'A bearer token is required to read metrics',
      });
    }
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  };
}

export const serverMetrics = fp(metricsPlugin, { name: '@composable-svelte/metrics', fastify: '5.x' });
