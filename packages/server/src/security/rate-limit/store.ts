import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { BackendMonitor } from './backend-monitor.js';
import { RateLimitUnavailableError } from './errors.js';
import type { HitResult } from './sliding-window.js';

export interface Limiter {
  hit(key: string): HitResult | Promise<HitResult>;
}

/** One counter space: the global limit, one route's own limit, or one `groupId`. */
export interface LimitScope {
  readonly namespace: string;
  /** For logs and events. */
  readonly route: string;
  readonly max: number;
  readonly windowMs: number;
}

export interface StoreContext {
  limiterFor(scope: LimitScope): Limiter;
  readonly monitor: BackendMonitor;
  readonly onBackendError: 'open' | 'closed';
  readonly unavailableRetryAfterSeconds: number;
}

export const GLOBAL_NAMESPACE = 'global';

/**
 * Names a route's counter space. Stable across instances (it becomes part of the Redis key) and
 * HEAD shares GET's counter, so that Fastify's automatic HEAD routes do not double a budget.
 */
export function routeNamespace(
  method: string | readonly string[] | undefined,
  url: string | undefined,
  groupId: string | undefined,
): string | undefined {
  if (groupId) return `group:${groupId}`;
  if (url === undefined || method === undefined) return undefined;
  const methods = new Set([method].flat().map((m) => (m.toUpperCase() === 'HEAD' ? 'GET' : m.toUpperCase())));
  return `route:${[...methods].sort().join(',')}:${url}`;
}

interface MergedParams {
  max?: unknown;
  timeWindow?: unknown;
  groupId?: string;
  routeInfo?: { method?: string | string[]; url?: string };
}

function limitsOf(params: MergedParams, where: string): { max: number; windowMs: number } {
  const { max, timeWindow } = params;
  if (typeof max !== 'number' || typeof timeWindow !== 'number') {
    throw new TypeError(
      `rate limit (${where}): max and timeWindow must be numbers or duration strings; functions are not supported`,
    );
  }
  return { max, windowMs: timeWindow };
}

function scopeFor(params: MergedParams): LimitScope {
  const { method, url } = params.routeInfo ?? {};
  const route = url === undefined ? 'custom' : `${[method].flat().join(',')} ${url}`;
  const { max, windowMs } = limitsOf(params, route);
  // Limiters made with fastify.rateLimit(options) have no route: their limits name them.
  const namespace = routeNamespace(method, url, params.groupId) ?? `custom:${max}:${windowMs}`;
  return { namespace, route: url ?? 'custom', max, windowMs };
}

/**
 * Builds the class @fastify/rate-limit instantiates as `new Store(globalParams)`. It calls
 * `child(mergedRouteParams)` for every route with its own `config.rateLimit`, and
 * `incr(key, cb)` per request; `current > max` means refused, `ttl` (ms) feeds
 * RateLimit-Reset and Retry-After.
 */
export function createStoreClass(context: StoreContext): FastifyRateLimitStoreCtor {
  class SlidingWindowStore implements FastifyRateLimitStore {
    readonly #scope: LimitScope;
    readonly #limiter: Limiter;

    constructor(params: object, scope?: LimitScope) {
      this.#scope = scope ?? { namespace: GLOBAL_NAMESPACE, route: '*', ...limitsOf(params, 'global') };
      this.#limiter = context.limiterFor(this.#scope);
    }

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void): void {
      const { max, route } = this.#scope;
      // Starting from a resolved promise turns a synchronous throw into a rejection too.
      Promise.resolve()
        .then(() => this.#limiter.hit(String(key)))
        .then(
          (hit) => {
            context.monitor.succeeded(route);
            callback(null, { current: hit.allowed ? hit.count : max + 1, ttl: hit.resetMs });
          },
          (error: unknown) => {
            context.monitor.failed(route, error);
            if (context.onBackendError === 'open') callback(null, { current: 0, ttl: 0 });
            else callback(new RateLimitUnavailableError(context.unavailableRetryAfterSeconds, { cause: error }));
          },
        );
    }

    child(params: object): FastifyRateLimitStore {
      return new SlidingWindowStore(params, scopeFor(params as MergedParams));
    }
  }
  return SlidingWindowStore;
}
