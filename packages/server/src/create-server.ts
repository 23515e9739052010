import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, {
  LogController,
  type FastifyHttpOptions,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { DestinationStream } from 'pino';
import type { AppDefinition } from './app.js';
import { loadServerConfig, type ServerConfig } from './config/load-config.js';
import { describeError } from './errors/describe-error.js';
import { HARDENED_ERROR_HEADERS } from './errors/hardened-headers.js';
import { wantsJson } from './http/negotiate.js';
import { cacheControl, publicPageCacheControl } from './http/cache-control.js';
import { compression } from './http/compression.js';
import { etag, etagPerEncoding } from './http/etag.js';
import { staticAssets } from './http/static-assets.js';
import { createMemoryPageStore } from './cache/memory-page-store.js';
import { createPageCache, type PageCache } from './cache/page-cache.js';
import { createRedisPageStore } from './cache/redis-page-store.js';
import { connectionDrain } from './lifecycle/drain.js';
import { inFlight } from './lifecycle/in-flight.js';
import { loadShedding } from './lifecycle/load-shedding.js';
import { health } from './observability/health.js';
import { loggerOptions } from './observability/logger.js';
import { createServerMetrics, metricsHandler, serverMetrics, type ServerMetrics } from './observability/metrics.js';
import { readiness, type ReadinessCheck } from './observability/readiness.js';
import { requestLog } from './observability/request-log.js';
import { traceContext } from './observability/trace-context.js';
import { loadClientAssets } from './render/client-manifest.js';
import { createPageRenderer, type PageRenderer } from './render/page-renderer.js';
import { ssrPages } from './render/ssr-pages.js';
import { corsPolicy } from './security/cors.js';
import { csrf } from './security/csrf.js';
import { DEFAULT_PERMISSIONS_POLICY, securityHeaders, type CspDirectives } from './security/headers.js';
import { requestLimits } from './security/limits.js';
import { rateLimit } from './security/rate-limit/plugin.js';
import { requestIdGenerator } from './security/request-id.js';
import { createPostgresPool, type PostgresPool } from './stores/postgres-pool.js';
import { createRedisClient, redisReady } from './stores/redis-client.js';

export interface SecurityOptions {
  /** App-wide CSP directives replacing the defaults of the same name (e.g. img-src for a CDN). */
  readonly csp?: CspDirectives;
  /** Per-route CSP directives, keyed by route URL as registered. */
  readonly routeCsp?: Readonly<Record<string, CspDirectives>>;
  readonly permissionsPolicy?: string;
  /** Opt-outs are explicit and logged at start-up. */
  readonly headers?: boolean;
  readonly csrf?: boolean;
}

export interface CreateServerOptions<S, A, D, Dest extends { route: string }> {
  readonly app: AppDefinition<S, A, D, Dest>;
  /** The client build output (Vite's outDir), holding .vite/manifest.json and assets/. */
  readonly clientDir: string;
  /** The app's own routes (JSON endpoints, form handlers…), registered before the page catch-all. */
  readonly routes?: FastifyPluginAsync;
  /** Settings that win over the environment. */
  readonly config?: Partial<ServerConfig>;
  readonly env?: Record<string, string | undefined>;
  readonly security?: SecurityOptions;
  /** Extra readiness checks (a database, a queue), reported by /ready next to Redis. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Where log lines go; stdout by default. */
  readonly logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated server configuration, readable by every plugin and route. */
    readonly config: ServerConfig;
    /** The PostgreSQL pool when DATABASE_URL is set. */
    pg?: PostgresPool;
    /** Invalidation of cached pages by key (`GET /posts/3`) or tag (`post:3`); absent when caching is off. */
    pageCache?: PageCache;
  }
}

export interface ComposableServer extends FastifyInstance {
  /** Listens on the configured HOST and PORT (and METRICS_PORT); resolves with the address. */
  start(): Promise<string>;
  /** /ready turns 503, the listeners stop accepting, in-flight requests finish, connections close. */
  shutdown(): Promise<void>;
}

function sendError(renderer: PageRenderer, production: boolean, metrics: ServerMetrics) {
  return async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const described = describeError(error, production);
    if (described.internal) request.log.error({ err: error }, 'request failed');
    const { status, code, message, details } = described;
    metrics.errors.inc({ code, status: String(status) });
    if (wantsJson(request)) {
      return reply.code(status).send({
        error: { status, code, message, requestId: request.id, ...(details === undefined ? {} : { details }) },
      });
    }
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(await renderer.renderError(request, status, message));
  };
}

/**
 * The production preset: one validated config drives every plugin. Protections are on unless an
 * option turns them off, and each opt-out is logged when the server starts.
 */
export async function createServer<S, A, D, Dest extends { route: string }>(
  options: CreateServerOptions<S, A, D, Dest>,
): Promise<ComposableServer> {
  const config = loadServerConfig(options.env ?? process.env, options.config);
  const production = config.nodeEnv === 'production';
  // PRESET=off keeps only what renders pages: it exists to measure what the preset costs.
  const full = config.preset === 'production';
  const security = full ? (options.security ?? {}) : { ...options.security, headers: false, csrf: false };
  const assets = loadClientAssets(options.clientDir, options.app.clientEntry);
  const metrics = createServerMetrics();
  const serverOptions: FastifyHttpOptions<Server> = {
    logger: loggerOptions({
      level: config.logLevel,
      production,
      ...(options.logStream ? { stream: options.logStream } : {}),
    }),
    // One line per request comes from the request-log plugin instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdGenerator(config.requestIdHeader),
    requestIdHeader: false,
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: config.limits.bodyBytes,
    requestTimeout: config.limits.requestTimeoutMs,
    keepAliveTimeout: config.limits.keepAliveTimeoutMs,
    http: { maxHeaderSize: config.limits.headerBytes },
    // A malformed URL fails before any hook runs: answer it here, hardened, with a request id.
    frameworkErrors: (error, request, reply) => {
      reply.headers({
        ...HARDENED_ERROR_HEADERS,
        'permissions-policy': security.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY,
        ...(production && security.headers !== false
          ? {
              'strict-transport-security': `max-age=31536000; includeSubDomains${config.hstsPreload ? '; preload' : ''}`,
            }
          : {}),
        'x-request-id': request.id,
      });
      const body = {
        error: { status: 400, code: 'BAD_URL', message: 'The request URL is malformed', requestId: request.id },
      };
      void (reply as FastifyReply).code(400).send(body);
      request.log.info({ err: error }, 'malformed request URL');
    },
  };
  // With a certificate, serve HTTPS and HTTP/2 directly; HTTP/1.1 clients are still served (ALPN).
  const tlsOptions = config.tls
    ? {
        http2: true,
        https: {
          allowHTTP1: true,
          cert: readFileSync(config.tls.certPath),
          key: readFileSync(config.tls.keyPath),
          // HTTP/2's own header limit; the HTTP/1.1 fallback reads maxHeaderSize.
          settings: { maxHeaderListSize: config.limits.headerBytes },
          maxHeaderSize: config.limits.headerBytes,
        },
      }
    : {};
  const fastify = Fastify({ ...serverOptions, ...tlsOptions } as FastifyHttpOptions<Server>);
  const drain = connectionDrain(fastify.server, { idleGraceMs: config.shutdownIdleGraceMs });
  if (config.tls) {
    // Fastify applies these to plain HTTP servers only; the TLS server's HTTP/1.1 fallback reads them too.
    const tlsServer = fastify.server as unknown as {
      keepAliveTimeout: number;
      requestTimeout: number;
      headersTimeout: number;
      maxHeaderSize: number;
    };
    tlsServer.maxHeaderSize = config.limits.headerBytes;
    tlsServer.keepAliveTimeout = config.limits.keepAliveTimeoutMs;
    tlsServer.requestTimeout = config.limits.requestTimeoutMs;
    tlsServer.headersTimeout = Math.min(60_000, config.limits.requestTimeoutMs);
  }
  fastify.decorate('config', config);
  if (config.limits.maxConnections > 0) fastify.server.maxConnections = config.limits.maxConnections;

  for (const warning of config.warnings) fastify.log.warn(`configuration: ${warning}`);
  if (security.headers === false)
    fastify.log.warn('security: security headers and CSP are OFF (security.headers = false)');
  if (security.csrf === false) fastify.log.warn('security: CSRF protection is OFF (security.csrf = false)');

  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await fastify.register(traceContext);
  if (full) await fastify.register(requestLog);
  await fastify.register(inFlight);
  const metricsOn = full && config.metrics.enabled;
  const exposeMetrics =
    metricsOn && config.metrics.port === undefined && (!production || config.metrics.token !== undefined);
  await fastify.register(serverMetrics, {
    metrics,
    expose: exposeMetrics,
    ...(config.metrics.token ? { token: config.metrics.token } : {}),
  });

  const renderer = createPageRenderer(options.app, assets, config, metrics);
  fastify.setErrorHandler(sendError(renderer, production, metrics));

  await fastify.register(readiness, {
    timeoutMs: config.readyCheckTimeoutMs,
    onResult: (name, up) => metrics.dependencyUp.set({ dependency: name }, up ? 1 : 0),
  });
  for (const [name, check] of Object.entries(options.readinessChecks ?? {})) fastify.readiness.checks.set(name, check);

  const redis = config.redisUrl
    ? createRedisClient(config.redisUrl, {
        logger: fastify.log,
        onStateChange: (up) => {
          metrics.dependencyUp.set({ dependency: 'redis' }, up ? 1 : 0);
          metrics.dependencyStateChanges.inc({ dependency: 'redis', state: up ? 'up' : 'down' });
        },
      })
    : undefined;
  if (config.databaseUrl) {
    const pool = createPostgresPool(config.databaseUrl, {
      max: config.databasePoolMax,
      logger: fastify.log,
      onStateChange: (up) => {
        metrics.dependencyUp.set({ dependency: 'database' }, up ? 1 : 0);
        metrics.dependencyStateChanges.inc({ dependency: 'database', state: up ? 'up' : 'down' });
      },
    });
    fastify.decorate('pg', pool);
    fastify.readiness.checks.set('database', () => pool.probe());
    fastify.addHook('onClose', async () => {
      await pool.end();
    });
  }
  if (redis) {
    fastify.readiness.checks.set('redis', async () => {
      await redis.ping();
    });
    fastify.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    // A moment for Redis to connect, so the first requests are counted (and, when failing closed, served).
    await redisReady(redis, 2000);
  }
  const rateLimited = full && config.rateLimit.enabled;
  if (rateLimited) {
    await fastify.register(rateLimit, {
      max: config.rateLimit.max,
      windowMs: config.rateLimit.windowMs,
      ...(redis ? { redis } : {}),
      onBackendError: config.rateLimit.onRedisError,
      onEvent: (event) => {
        if (event.type === 'rejected') metrics.rateLimitRejections.inc({ route: event.route });
        else if (event.type === 'backend-error') metrics.rateLimitBackendErrors.inc();
      },
    });
  }

  // Unknown URLs count against the global limit too: probing for paths is what scanners do.
  const notFoundOptions = rateLimited ? { preHandler: fastify.rateLimit() } : {};
  fastify.setNotFoundHandler(notFoundOptions, async (request, reply) => {
    metrics.errors.inc({ code: 'NOT_FOUND', status: '404' });
    // A missing asset is a broken reference, not a page visit: no need to render the app for it.
    if (request.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    const message = `No route for ${request.method} ${request.url.split('?')[0]}`;
    if (wantsJson(request)) {
      return reply.code(404).send({ error: { status: 404, code: 'NOT_FOUND', message, requestId: request.id } });
    }
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(await renderer.renderError(request, 404, 'Not Found'));
  });

  if (security.headers !== false) {
    await fastify.register(securityHeaders, {
      production,
      hstsPreload: config.hstsPreload,
      coep: config.coep,
      ...(security.csp ? { csp: security.csp } : {}),
      ...(security.routeCsp ? { routeCsp: security.routeCsp } : {}),
      ...(security.permissionsPolicy ? { permissionsPolicy: security.permissionsPolicy } : {}),
    });
  }
  await fastify.register(requestLimits, {
    maxUriLength: config.limits.uriLength,
    maxHeaderBytes: config.limits.headerBytes,
  });
  await fastify.register(corsPolicy, { origins: config.cors.origins, credentials: config.cors.credentials });
  // Before cache-control: the cookie plugin writes Set-Cookie in its own onSend hook, and
  // cache-control must see it to mark the response private.
  await fastify.register(cookie, { secret: config.sessionSecret });
  // Order matters: the ETag is taken from the identity body, then compression, then per-encoding tags.
  await fastify.register(cacheControl, {
    page: publicPageCacheControl(config.cache.pageMaxAgeS, config.cache.pageSwrS),
    api: config.cache.apiControl,
  });
  await fastify.register(etag);
  if (full && config.compression.enabled) {
    await fastify.register(compression, {
      thresholdBytes: config.compression.thresholdBytes,
      brotliQuality: config.compression.brotliQuality,
    });
  }
  await fastify.register(etagPerEncoding);
  await fastify.register(formbody, { bodyLimit: config.limits.bodyBytes });
  if (security.csrf !== false) {
    await fastify.register(csrf, {
      publicOrigin: new URL(config.publicUrl).origin,
      allowedOrigins: config.cors.origins,
      secureCookie: production,
    });
  }

  const pageCache = config.cache.enabled
    ? createPageCache({
        store: redis ? createRedisPageStore(redis) : createMemoryPageStore({ maxBytes: config.cache.maxBytes }),
        ttlMs: config.cache.ttlMs,
        staleMs: config.cache.staleMs,
        brotliQuality: config.compression.brotliQuality,
        onEvent: (event, count) => metrics.pageCache.inc({ event }, count ?? 1),
        // Redis trouble is already logged once per state change; the cache just falls back to rendering.
        onError: (error, operation) =>
          fastify.log.debug({ err: error, operation }, 'page cache unavailable; rendered instead'),
      })
    : undefined;

  if (pageCache) fastify.decorate('pageCache', pageCache);
  await fastify.register(health);
  // The app's routes live in their own context so load shedding covers them but not the probes.
  await fastify.register(async (app) => {
    if (full) await app.register(loadShedding, { ...config.loadShedding, onShed: () => metrics.loadShed.inc() });
    await app.register(staticAssets, { root: join(options.clientDir, 'assets'), prefix: '/assets/' });
    if (options.routes) await app.register(options.routes);
    await app.register(ssrPages, {
      renderer,
      ...(pageCache ? { cache: pageCache } : {}),
      ...(options.app.cacheKey ? { cacheKey: options.app.cacheKey } : {}),
      debugHeader: !production,
      compressed: full && config.compression.enabled,
      compressThresholdBytes: config.compression.thresholdBytes,
    });
  });

  let metricsServer: FastifyInstance | undefined;
  if (metricsOn && config.metrics.port !== undefined) {
    metricsServer = Fastify({ logger: false });
    metricsServer.get('/metrics', metricsHandler(metrics, config.metrics.token));
    fastify.addHook('onClose', async () => {
      await metricsServer?.close();
    });
  }

  let redirectServer: HttpServer | undefined;
  if (config.httpRedirectPort !== undefined) {
    // The target comes from PUBLIC_URL, never from the Host header: no open redirect.
    const origin = new URL(config.publicUrl).origin;
    redirectServer = createHttpServer((request, response) => {
      const path = request.url?.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
      response.writeHead(308, { location: origin + path, 'cache-control': 'no-store', 'content-length': '0' });
      response.end();
    });
    fastify.addHook('onClose', async () => {
      await new Promise<void>((resolve) => redirectServer!.close(() => resolve()));
    });
  }

  const server = fastify as unknown as ComposableServer;
  Object.defineProperty(server, 'start', {
    value: async () => {
      if (metricsServer) await metricsServer.listen({ host: config.metrics.host, port: config.metrics.port! });
      if (redirectServer) {
        await new Promise<void>((resolve, reject) => {
          redirectServer!.once('error', reject).listen(config.httpRedirectPort, config.host, () => resolve());
        });
      }
      return fastify.listen({ host: config.host, port: config.port });
    },
  });
  Object.defineProperty(server, 'shutdown', {
    value: async () => {
      fastify.readiness.shuttingDown = true;
      await drain.drain();
      await fastify.close();
    },
  });
  return server;
}
