import type { Redis } from 'ioredis';
import { createRedisSlidingWindowLimiter } from './redis-sliding-window.js';
import { createSlidingWindowLimiter } from './sliding-window.js';
import type { LimitScope, Limiter } from './store.js';

export interface LimiterRegistry {
  /** One limiter per namespace, shared by every route (and HEAD twin) that maps to it. */
  limiterFor(scope: LimitScope): Limiter;
  /** The window of a namespace, for error messages. */
  windowMsOf(namespace: string): number | undefined;
  /** Stops the memory limiters' sweep timers. A Redis client is the caller's to close. */
  close(): void;
}

export function createLimiterRegistry(options: {
  redis?: Redis;
  keyPrefix: string;
  now?: () => number;
}): LimiterRegistry {
  const { redis, keyPrefix, now } = options;
  const entries = new Map<string, { scope: LimitScope; limiter: Limiter; close?: () => void }>();

  function create(scope: LimitScope): { limiter: Limiter; close?: () => void } {
    const { max, windowMs } = scope;
    if (redis)
      return {
        limiter: createRedisSlidingWindowLimiter({
          client: redis,
          max,
          windowMs,
          keyPrefix: `${keyPrefix}${scope.namespace}:`,
          now,
        }),
      };
    const limiter = createSlidingWindowLimiter({ max, windowMs, now });
    return { limiter, close: () => limiter.close() };
  }

  return {
    limiterFor(scope) {
      const existing = entries.get(scope.namespace);
      if (existing) {
        // A shared counter with two different limits would enforce whichever route came last.
        if (existing.scope.max !== scope.max || existing.scope.windowMs !== scope.windowMs) {
          throw new TypeError(
            `rate limit: ${scope.route} (max ${scope.max} per ${scope.windowMs} ms) shares the counter "${scope.namespace}" ` +
              `with ${existing.scope.route} (max ${existing.scope.max} per ${existing.scope.windowMs} ms); give them the same limits`,
          );
        }
        return existing.limiter;
      }
      const entry = { scope, ...create(scope) };
      entries.set(scope.namespace, entry);
      return entry.limiter;
    },
    windowMsOf(namespace) {
      return entries.get(namespace)?.scope.windowMs;
    },
    close() {
      for (const entry of entries.values()) entry.close?.();
      entries.clear();
    },
  };
}
