import { join } from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import type { AppDefinition, PageRouter } from './app.js';
import { pageCachePlugin } from './cache/page-cache-plugin.js';
import { loadServerConfig, type ServerConfig } from './config/load-config.js';
import { errorHandler } from './errors/error-handler.js';
import { notFoundHandler } from './errors/not-found.js';
import { cacheControl, publicPageCacheControl } from './http/cache-control.js';
import { compression } from './http/compression.js';
import { representation, representationFinal } from './http/representation.js';
import { staticAssets } from './http/static-assets.js';
import { inFlight } from './lifecycle/in-flight.js';
import { loadShedding } from './lifecycle/load-shedding.js';
import { devMailRoutes } from './mail/dev-mail-routes.js';
import { health } from './observability/health.js';
import {
  createServerMetrics,
  serverMetrics,
  type MetricsOptions,
  type ServerMetrics,
} from './observability/metrics.js';
import { readiness, type ReadinessCheck } from './observability/readiness.js';
import { requestLog } from './observability/request-log.js';
import { traceContext } from './observability/trace-context.js';
import { withCspAdditions } from './dev/dev-csp.js';
import { devIntegration, type DevIntegration } from './dev/dev-integration.js';
import { loadClientAssets } from './render/client-manifest.js';
import { renderPage } from './render/render-page.js';
import { createPageRenderer, requestPath, type PageRenderer } from './render/page-renderer.js';
import { localeRouting } from './i18n/locale-routing.js';
import { secureCookies } from './auth/cookies.js';
import { ssrPages, type SsrPagesOptions } from './render/ssr-pages.js';
import { createPageCapture } from './prerender/page-capture.js';
import { loadPrerenderedPages, type PrerenderedPages } from './prerender/prerendered-files.js';
import './prerender/prerender-target.js';
import { corsPolicy } from './security/cors.js';
import { csrf, type CsrfOptions } from './security/csrf.js';
import type { AuthPluginOptions } from './auth/auth-plugin.js';
import {
  DEFAULT_CSP,
  hardenedHeaderTable,
  securityHeaders,
  type CspDirectives,
  type SecurityHeadersOptions,
} from './security/headers.js';
import { requestLimits } from './security/limits.js';
import { methodGuard } from './security/method-guard.js';
import type { RateLimitOptions } from './security/rate-limit/plugin.js';
import { requestId } from './security/request-id.js';
import type { Database } from './db/open-database.js';
import { backends } from './server/backends.js';
import type { AnyServices } from './services/service-registry.js';
import { services as servicesPlugin } from './services/services-plugin.js';
import { drain } from './server/drain.js';
import { createFastify, listeners } from './server/listeners.js';
import { boundedMemo } from './cache/bounded-memo.js';

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
  /**
   * The app's database (`openDatabase()` from `/db`), or a function that opens it: called once the
   * listener is built, so a bad TLS file or setting fails start-up before a slow database open.
   * Migrated before the first request, on /ready, in the metrics, closed on shutdown. Without it,
   * DATABASE_URL alone opens a bare pool (`pg`).
   */
  readonly database?: Database<Record<string, unknown>> | (() => Promise<Database<Record<string, unknown>>>);
  /** drizzle-kit's migrations folder for `database`. */
  readonly migrationsFolder?: string;
  /**
   * The app's services (`createServices()` from `/services`): started after the database is
   * migrated, on /ready, on `fastify.services` and `request.services`; on shutdown they drain at
   * once and stop once requests have finished, before the database closes.
   */
  readonly services?: AnyServices;
  /**
   * Accounts and sessions (`@composable-svelte/server/auth`): `request.principal`, route
   * `config: { auth }`, the app's `auth(route)` for pages, the viewer in `RequestContext`,
   * `fastify.auth`. Needs `database` with the auth tables in its migrations.
   */
  readonly auth?: AuthPluginOptions;
  /**
   * The prerender step's output (`composable-svelte prerender`), read into memory at start-up and
   * served before the page cache to anonymous requests. Default `<clientDir>/../prerendered`, read
   * when it exists; false reads none. Never read in development.
   */
  readonly prerendered?: string | false;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Renders and sends the app's page for this request's URL, as a GET would (never cached): for a
     * form handler whose input was refused, so a browser without JavaScript gets the form again,
     * with what `load` reads from the request, and `status` (e.g. 400 or 401) instead of 200.
     */
    renderPage(request: FastifyRequest, reply: FastifyReply, status?: number): Promise<FastifyReply>;
  }
}

/** A Fastify instance with `start()` and `shutdown()`, and `config`, `pageCache`, `pg`, `redis`, `metrics`. */
export type ComposableServer = FastifyInstance;

/**
 * The production preset: one validated config drives every plugin, registered in the order a
 * request flows through them (DESIGN.md). Protections are on unless an option turns them off, and
 * each opt-out is logged when the server starts.
 */
export async function createServer<S, A, D, Dest extends { route: string }>(
  options: CreateServerOptions<S, A, D, Dest>,
): Promise<ComposableServer> {
  const config = loadServerConfig(options.env ?? process.env, options.config, options.app.env);
  const production = config.nodeEnv === 'production';
  // PRESET=off keeps only what renders pages: it exists to measure what the preset costs.
  const full = config.preset === 'production';
  // Under `composable-svelte dev` only; production never takes the dev runner's modules or policy.
  const dev = production ? undefined : devIntegration();
  const security = full ? (options.security ?? {}) : { ...options.security, headers: false, csrf: false };
  const headerPolicy = securityHeaderPolicy(config, security, dev);
  const metrics = createServerMetrics();
  const { locales } = options.app;
  const fastify = createFastify(config, {
    hardenedHeaders: hardenedHeaderTable(headerPolicy),
    ...options,
    ...(locales ? { rewriteUrl: (url: string) => locales.split(url).path } : {}),
  });
  logWarnings(fastify, security);

  // 1. Receive: request id, observability, readiness and drain, backends, rate limit, limits.
  await fastify.register(requestId);
  await fastify.register(traceContext);
  if (full) await fastify.register(requestLog);
  await fastify.register(inFlight);
  const metricsOn = full && config.metrics.enabled;
  await fastify.register(serverMetrics, metricsOptions(config, metrics, metricsOn));
  const assets = dev
    ? dev.clientAssets(options.app.clientEntry)
    : loadClientAssets(options.clientDir, options.app.clientEntry);
  const renderer = createPageRenderer(options.app, assets, config, metrics, dev);
  const prerenderedDir =
    dev || options.prerendered === false
      ? undefined
      : (options.prerendered ?? join(options.clientDir, '..', 'prerendered'));
  const prerendered = prerenderedPages(fastify, prerenderedDir, config, assets.script.href);
  const appRoutes: string[] = [];
  const capture = createPageCapture();
  fastify.decorate('prerenderTarget', {
    router: options.app.router as PageRouter<{ route: string }>,
    capture,
    appRoutes,
    clientDir: options.clientDir,
    clientScript: assets.script.href,
    prerenderedDir,
  });
  await fastify.register(errorHandler, { production, metrics, page: renderer.renderError });
  await fastify.register(renderPage, { renderer });
  const onResult = (name: string, up: boolean) => metrics.dependencyUp.set({ dependency: name }, up ? 1 : 0);
  const readyToken = config.metrics.token ? { token: config.metrics.token } : {};
  const checks = options.readinessChecks ?? {};
  await fastify.register(readiness, { timeoutMs: config.readyCheckTimeoutMs, onResult, checks, ...readyToken });
  await fastify.register(drain);
  await fastify.register(backends, { metrics, database: options.database, migrationsFolder: options.migrationsFolder });
  if (options.services) await fastify.register(servicesPlugin, { services: options.services });
  const { redis } = fastify;
  const rateLimited = full && config.rateLimit.enabled;
  // Imported only when on: @fastify/rate-limit is a noticeable part of start-up time.
  if (rateLimited) {
    const { rateLimit } = await import('./security/rate-limit/plugin.js');
    await fastify.register(rateLimit, rateLimitOptions(config, metrics, redis));
  }
  // Probes and assets take GET/HEAD only, refused before any body is read; other reads there are counted.
  const guardLimit = rateLimited ? { limit: fastify.rateLimit() } : {};
  await fastify.register(methodGuard, { assetsDir: join(options.clientDir, 'assets'), ...guardLimit });
  // 2. Route: unknown URLs count against the global limit too (probing for paths is what scanners do).
  await fastify.register(notFoundHandler, { metrics, ...(rateLimited ? { preHandler: fastify.rateLimit() } : {}) });
  // 6. Headers (registered before the routes they apply to): security, CORS, caching, representation.
  if (security.headers !== false) await fastify.register(securityHeaders, headerPolicy);
  const { limits } = config;
  const { uriLength: maxUriLength, headerBytes: maxHeaderBytes, requestTimeoutMs } = limits;
  await fastify.register(requestLimits, { maxUriLength, maxHeaderBytes, requestTimeoutMs });
  await fastify.register(corsPolicy, { origins: config.cors.origins, credentials: config.cors.credentials });
  // Before cache-control: the cookie plugin writes Set-Cookie in its own onSend hook, and
  // cache-control must see it to mark the response private.
  await fastify.register(cookie, { secret: config.sessionSecret });
  const page = publicPageCacheControl(config.cache.pageMaxAgeS, config.cache.pageSwrS);
  await fastify.register(cacheControl, { page, api: config.cache.apiControl });
  // The ETag is taken from the identity body, then compression, then the representation is final.
  await fastify.register(representation);
  const compressed = full && config.compression.enabled;
  if (compressed) await fastify.register(compression, config.compression);
  await fastify.register(representationFinal);
  await fastify.register(formbody, { bodyLimit: limits.bodyBytes });
  if (security.csrf !== false) await fastify.register(csrf, csrfOptions(config, production));
  if (options.auth) {
    // Imported only when on: accounts bring argon2, zxcvbn's dictionaries and the session tables.
    const { authPlugin } = await import('./auth/auth-plugin.js');
    await fastify.register(authPlugin, { ...options.auth, ...(locales ? { locales } : {}) });
  }
  // 3. Page cache; 4–5. the app's routes and pages, in a context load shedding covers (probes stay out).
  await fastify.register(pageCachePlugin, {
    cache: config.cache,
    brotliQuality: config.compression.brotliQuality,
    ...(redis ? { redis, keyPrefix: `${config.redisKeyPrefix}page:` } : {}),
    metrics,
  });
  await fastify.register(health);
  await fastify.register(async (app) => {
    if (full) await app.register(loadShedding, { ...config.loadShedding, onShed: () => metrics.loadShed.inc() });
    // In development Vite serves the modules and assets, in front of the server.
    if (!dev) await app.register(staticAssets, { root: `${options.clientDir}/assets`, prefix: '/assets/' });
    // Development only: the inbox of the file mailer (404 in any other NODE_ENV).
    await app.register(devMailRoutes, { dir: config.mail.dir, development: config.nodeEnv === 'development' });
    if (options.app.locales)
      await app.register(localeRouting, {
        locales: options.app.locales,
        secureCookie: secureCookies(config.publicUrl, production),
      });
    if (options.routes) {
      // Only the app's own routes are listed: a static export must refuse to drop them silently.
      let own = true;
      app.addHook('onRoute', (route) => {
        if (own && route.method !== 'HEAD') appRoutes.push(`${[route.method].flat().join(',')} ${route.url}`);
      });
      await app.register(options.routes);
      own = false;
    }
    await app.register(ssrPages, { ...pagesOptions(fastify, options, renderer, compressed), prerendered, capture });
  });
  await fastify.register(listeners, { metricsPort: metricsOn });
  return fastify;
}

/**
 * The pages the prerender step wrote for this build. Pages of another build (other asset names, or
 * another PUBLIC_URL in their links) are not served: rendering is always correct, a stale copy not.
 */
function prerenderedPages(
  fastify: FastifyInstance,
  dir: string | undefined,
  config: ServerConfig,
  clientScript: string,
): PrerenderedPages {
  if (dir === undefined) return new Map();
  const loaded = loadPrerenderedPages(dir, { publicUrl: config.publicUrl, clientScript });
  if (loaded.ok) {
    if (loaded.pages.size > 0) fastify.log.info(`prerendered: ${loaded.pages.size} pages from ${dir}`);
    return loaded.pages;
  }
  fastify.log.error(`prerendered: ${loaded.problem}; they are not served (run \`composable-svelte prerender\` again)`);
  return new Map();
}

/** The app's page requirements, read from its route table, applied through the auth plugin. */
function pageAuthorizer<S, A, D, Dest extends { route: string }>(
  fastify: FastifyInstance,
  app: AppDefinition<S, A, D, Dest>,
): ((request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> | undefined) | undefined {
  const { auth } = app;
  if (!auth) return undefined;
  // The route table does not change while the server runs: each path's requirement is looked up
  // once (bounded, so that a crawl of unique URLs cannot grow it), not parsed again on every hit.
  const requirementOf = boundedMemo(1000, (path) => auth(app.router.parse(path)));
  return (request, reply) => {
    const requirement = requirementOf(requestPath(request.url));
    return requirement === undefined ? undefined : fastify.authorize!(request, reply, requirement);
  };
}

function securityHeaderPolicy(
  config: ServerConfig,
  security: SecurityOptions,
  dev: DevIntegration | undefined,
): SecurityHeadersOptions {
  const csp = dev ? withCspAdditions({ ...DEFAULT_CSP, ...security.csp }, dev.csp) : security.csp;
  return {
    production: config.nodeEnv === 'production' && security.headers !== false,
    hstsPreload: config.hstsPreload,
    coep: config.coep,
    ...(csp ? { csp } : {}),
    ...(security.routeCsp ? { routeCsp: security.routeCsp } : {}),
    ...(security.permissionsPolicy ? { permissionsPolicy: security.permissionsPolicy } : {}),
  };
}

/** How pages are served: cached or not, compressed or not, with viewers when auth is on. */
function pagesOptions<S, A, D, Dest extends { route: string }>(
  fastify: FastifyInstance,
  options: CreateServerOptions<S, A, D, Dest>,
  renderer: PageRenderer,
  compressed: boolean,
): SsrPagesOptions {
  const { cacheKey } = options.app;
  return {
    renderer,
    debugHeader: fastify.config.nodeEnv !== 'production',
    compressed,
    compressThresholdBytes: fastify.config.compression.thresholdBytes,
    ...(cacheKey ? { cacheKey } : {}),
    ...(options.auth ? { viewers: true, authorize: pageAuthorizer(fastify, options.app) } : {}),
  };
}

function rateLimitOptions(config: ServerConfig, metrics: ServerMetrics, redis: Redis | undefined): RateLimitOptions {
  return {
    max: config.rateLimit.max,
    windowMs: config.rateLimit.windowMs,
    ...(redis ? { redis } : {}),
    onBackendError: config.rateLimit.onRedisError,
    keyPrefix: `${config.redisKeyPrefix}rl:`,
    onEvent: (event) => {
      if (event.type === 'rejected') metrics.rateLimitRejections.inc({ route: event.route });
      else if (event.type === 'backend-error') metrics.rateLimitBackendErrors.inc();
    },
  };
}

function csrfOptions(config: ServerConfig, production: boolean): CsrfOptions {
  return {
    publicOrigin: new URL(config.publicUrl).origin,
    allowedOrigins: config.cors.origins,
    secureCookie: production,
  };
}

function logWarnings(fastify: FastifyInstance, security: SecurityOptions): void {
  for (const warning of fastify.config.warnings) fastify.log.warn(`configuration: ${warning}`);
  if (security.headers === false)
    fastify.log.warn('security: security headers and CSP are OFF (security.headers = false)');
  if (security.csrf === false) fastify.log.warn('security: CSRF protection is OFF (security.csrf = false)');
}

/** /metrics on the public port only when no METRICS_PORT is set, and in production only behind a token. */
function metricsOptions(config: ServerConfig, metrics: ServerMetrics, on: boolean): MetricsOptions {
  const { token, port } = config.metrics;
  const expose = on && port === undefined && (config.nodeEnv !== 'production' || token !== undefined);
  return { metrics, expose, ...(token ? { token } : {}) };
}
