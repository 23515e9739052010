/// <reference types="@fastify/csrf-protection" preserve="true" />
/// <reference types="@fastify/rate-limit" preserve="true" />
export { createServer } from './create-server.js';
export type { ComposableServer, CreateServerOptions, SecurityOptions } from './create-server.js';
export { defineApp } from './app.js';
export type { AppDefinition, PageError, PageLoad, PageRouter, RequestContext } from './app.js';

export { loadServerConfig, readEnvFile, ConfigError } from './config/load-config.js';
export type { ServerConfig, TrustProxy } from './config/load-config.js';
export { ConfigSchema } from './config/schema.js';
export { renderConfigDoc, renderEnvExample } from './config/config-doc.js';

export {
  HttpError,
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  methodNotAllowed,
  conflict,
  gone,
  payloadTooLarge,
  unsupportedMediaType,
  unprocessableEntity,
  tooManyRequests,
  internalServerError,
  serviceUnavailable,
  gatewayTimeout,
} from './errors/http-error.js';
export { describeError, statusText } from './errors/describe-error.js';
export type { PublicError } from './errors/describe-error.js';

export { securityHeaders, DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY } from './security/headers.js';
export type { CspDirectives, SecurityHeadersOptions } from './security/headers.js';
export { csrf } from './security/csrf.js';
export type { CsrfOptions } from './security/csrf.js';
export { corsPolicy } from './security/cors.js';
export type { CorsOptions } from './security/cors.js';
export { requestLimits } from './security/limits.js';
export { methodGuard } from './security/method-guard.js';
export type { MethodGuardOptions } from './security/method-guard.js';
export type { RequestLimitsOptions } from './security/limits.js';
export { requestIdGenerator } from './security/request-id.js';
export { sanitizeHtml, htmlToText } from './security/sanitize.js';
export type { SanitizeOptions } from './security/sanitize.js';

export { staticAssets } from './http/static-assets.js';
export type { StaticAssetsOptions } from './http/static-assets.js';
export { wantsJson } from './http/negotiate.js';
export { health } from './observability/health.js';
export { ssrPages } from './render/ssr-pages.js';
export { createPageRenderer, requestPath } from './render/page-renderer.js';
export type { PageRenderer } from './render/page-renderer.js';
export { loadClientAssets } from './render/client-manifest.js';
export type { ClientAsset, ClientAssets } from './render/client-manifest.js';
export { renderDocument, APP_ELEMENT_ID } from './render/document.js';
export { escapeHtml } from './render/html.js';
export {
  gradeResponse,
  formatGrade,
  letterGrade,
  scoreResults,
  OBSERVATORY_EXPECTATIONS,
  OBSERVATORY_ORIGIN,
  HSTS_MIN_MAX_AGE,
} from './security/observatory.js';
export type {
  Grade,
  GradedResponse,
  GradedHeaders,
  GradeOptions,
  TestResult,
  Expectation,
  ObservatoryTest,
} from './security/observatory.js';
export { rateLimit, RATE_LIMIT_DEFAULTS } from './security/rate-limit/plugin.js';
export type { RateLimitOptions } from './security/rate-limit/plugin.js';
export type { RateLimitEvent } from './security/rate-limit/events.js';
export { RateLimitedError, RateLimitUnavailableError } from './security/rate-limit/errors.js';
export { defaultSkip as defaultRateLimitSkip } from './security/rate-limit/skip.js';
export { createSlidingWindowLimiter } from './security/rate-limit/sliding-window.js';
export type { HitResult, SlidingWindowLimiter, SlidingWindowOptions } from './security/rate-limit/sliding-window.js';
export { createRedisSlidingWindowLimiter } from './security/rate-limit/redis-sliding-window.js';
export type {
  RedisSlidingWindowLimiter,
  RedisSlidingWindowOptions,
} from './security/rate-limit/redis-sliding-window.js';
export { createRedisClient, redisStatus, redisReady } from './stores/redis-client.js';
export type { RedisClientOptions, RedisLogger } from './stores/redis-client.js';
export { runServer } from './lifecycle/run-server.js';
export { loadShedding } from './lifecycle/load-shedding.js';
export type { LoadSheddingOptions } from './lifecycle/load-shedding.js';
export { inFlight } from './lifecycle/in-flight.js';
export type { InFlightRequest } from './lifecycle/in-flight.js';
export { readiness } from './observability/readiness.js';
export type { ReadinessCheck, ReadinessOptions, ReadinessState } from './observability/readiness.js';
export { createServerMetrics, serverMetrics, metricsHandler } from './observability/metrics.js';
export type { MetricsOptions, ServerMetrics } from './observability/metrics.js';
export { loggerOptions, redactSecrets } from './observability/logger.js';
export type { LoggerSettings } from './observability/logger.js';
export { requestLog } from './observability/request-log.js';
export { traceContext, parseTraceparent, inSpan } from './observability/trace-context.js';
export type { TraceContext } from './observability/trace-context.js';
export { createPageCache } from './cache/page-cache.js';
export type { PageCache, PageCacheEvent, PageCacheOptions, RenderedPage } from './cache/page-cache.js';
export { createMemoryPageStore } from './cache/memory-page-store.js';
export { createRedisPageStore } from './cache/redis-page-store.js';
export type { PageCacheStore, PageEntry } from './cache/page-entry.js';
export { cacheControl, publicPageCacheControl } from './http/cache-control.js';
export type { CacheControlOptions } from './http/cache-control.js';
export { compression } from './http/compression.js';
export type { CompressionOptions } from './http/compression.js';
export { etag, etagPerEncoding } from './http/etag.js';
export { strongEtag, noneMatchHits, matchingTag, notModifiedSince, encodedEtag } from './http/conditional.js';
export { runApp } from './lifecycle/run-app.js';
export type { RunAppOptions } from './lifecycle/run-app.js';
export { createPostgresPool } from './stores/postgres-pool.js';
export type { PostgresPool, PostgresPoolOptions } from './stores/postgres-pool.js';
