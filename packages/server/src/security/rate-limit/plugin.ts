import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { createBackendMonitor, safeEmitter } from './backend-monitor.js';
import { RateLimitedError, RateLimitUnavailableError } from './errors.js';
import type { RateLimitEvent } from './events.js';
import { createLimiterRegistry } from './limiter-registry.js';
import { defaultSkip, mustCount } from './skip.js';
import { assertLimits } from './sliding-window.js';
import { createStoreClass, routeNamespace } from './store.js';

export interface RateLimitOptions {
  /** Requests per window per client; default 300 (RATE_LIMIT_MAX). */
  readonly max?: number;
  /** Window length in ms; default 60 000 (RATE_LIMIT_WINDOW_MS). */
  readonly windowMs?: number;
  /** Shares the limit across instances. The caller owns the client (and closes it). */
  readonly redis?: Redis;
  /** Prefix of every Redis key; default 'cs:rl:'. */
  readonly keyPrefix?: string;
  /** When the store fails: 'open' lets requests through (default), 'closed' answers 503. */
  readonly onBackendError?: 'open' | 'closed';
  /** Requests never counted (unless marked with countEvenIfExempt); default {@link defaultSkip}. */
  readonly skip?: (request: FastifyRequest) => boolean;
  /** Clock in ms (tests). Default: monotonic for memory, Redis server time for Redis. */
  readonly now?: () => number;
  /** Metrics hook; exceptions it throws are logged, never sent to the client. */
  readonly onEvent?: (event: RateLimitEvent) => void;
}

/** Defaults of RATE_LIMIT_MAX and RATE_LIMIT_WINDOW_MS. */
export const RATE_LIMIT_DEFAULTS = { max: 300, windowMs: 60_000 } as const;

/**
 * The key of requests whose client hung up before they were counted: Node no longer knows the
 * socket's address, and the plugin's own key function throws on it. Nothing can reach that client.
 */
const GONE_CLIENT_KEY = 'gone';

/** What a client is told to wait when the store is down and the policy is 'closed'. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * Limits requests per client (`request.ip`, so Fastify's `trustProxy` decides what counts as the
 * client; IPv6 addresses are grouped per /64 as @fastify/rate-limit does by default) with an exact
 * sliding window, in memory or shared through Redis. Register it before any route: it applies to
 * the routes added after it. A route can have its own, separate counter with
 * `config: { rateLimit: { max, timeWindow } }`, or opt out with `config: { rateLimit: false }`.
 * Refusals are errors (429 RATE_LIMITED, or 503 RATE_LIMIT_UNAVAILABLE) for the app's error handler.
 */
const plugin: FastifyPluginAsync<RateLimitOptions> = async (fastify, options) => {
  const max = options.max ?? RATE_LIMIT_DEFAULTS.max;
  const windowMs = options.windowMs ?? RATE_LIMIT_DEFAULTS.windowMs;
  assertLimits(max, windowMs, 'rate limit');
  // max 0 would refuse every request: almost certainly a configuration mistake.
  if (max < 1)
    throw new TypeError(
      'rate limit: max must be at least 1; use skip or a route config of rateLimit: false to exempt requests',
    );
  const policy = options.onBackendError ?? 'open';
  if (policy !== 'open' && policy !== 'closed')
    throw new TypeError(`rate limit: onBackendError must be 'open' or 'closed'; got "${String(policy)}"`);

  const redisOptions = options.redis?.options;
  if (redisOptions && (redisOptions.enableOfflineQueue !== false || !redisOptions.commandTimeout)) {
    // With an offline queue or no command timeout, requests wait as long as Redis is away.
    fastify.log.warn(
      'rate limit: the Redis client queues commands or has no commandTimeout; create it with createRedisClient() so an outage cannot stall requests',
    );
  }
  const emit = safeEmitter(fastify.log, options.onEvent);
  const monitor = createBackendMonitor(fastify.log, emit, policy);
  const registry = createLimiterRegistry({
    redis: options.redis,
    keyPrefix: options.keyPrefix ?? 'cs:rl:',
    now: options.now,
  });
  fastify.addHook('onClose', async () => registry.close());
  const skip = options.skip ?? defaultSkip;

  // The error handler renders the 503 but knows nothing of Retry-After; onError runs before it.
  fastify.addHook('onError', async (_request, reply, error) => {
    if (error instanceof RateLimitUnavailableError) reply.header('retry-after', String(error.retryAfterSeconds));
  });

  function windowMsFor(request: FastifyRequest): number {
    const own = request.routeOptions.config.rateLimit;
    if (!own) return windowMs;
    const namespace = routeNamespace(request.routeOptions.method, request.routeOptions.url, own.groupId);
    return (namespace && registry.windowMsOf(namespace)) || windowMs;
  }

  await fastify.register(fastifyRateLimit, {
    global: true,
    max,
    timeWindow: windowMs,
    hook: 'onRequest',
    // The plugin's default key (IPv6 grouped per /64), but for a request without an address.
    keyGenerator: (request) => (request.ip === undefined ? GONE_CLIENT_KEY : normalizeIP(request.ip)),
    enableDraftSpec: true,
    // The store applies onBackendError itself: an error it passes on is meant for the client.
    skipOnError: false,
    store: createStoreClass({
      limiterFor: (scope) => registry.limiterFor(scope),
      monitor,
      onBackendError: policy,
      unavailableRetryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
    }),
    allowList: (request) => !mustCount(request) && skip(request),
    onExceeded: (request, key) =>
      emit({ type: 'rejected', route: request.routeOptions.url ?? request.url.split('?', 1)[0]!, key }),
    errorResponseBuilder: (request, context) =>
      new RateLimitedError(context.max, windowMsFor(request), Math.ceil(context.ttl / 1000)),
  });
};

export const rateLimit = fp(plugin, { name: '@composable-svelte/rate-limit', fastify: '5.x' });
