import type { Redis } from 'ioredis';
import { createRedisSlidingWindowLimiter } from '../security/rate-limit/redis-sliding-window.js';
import { createSlidingWindowLimiter } from '../security/rate-limit/sliding-window.js';

export interface IpLimiter {
  /** Counts an attempt; resolves the milliseconds to wait when it is over the limit, else 0. */
  hit(action: string, ip: string): Promise<number>;
  close(): void;
}

/**
 * Sign-in and sign-up attempts per client address, on the same exact sliding window as the rate
 * limiter (in memory, or in Redis so every instance counts together). A Redis failure lets the
 * attempt through: the per-account back-off, in the database, still holds.
 */
export function createIpLimiter(options: {
  max: number;
  windowMs: number;
  redis?: Redis;
  keyPrefix?: string;
  onError?: (error: unknown) => void;
}): IpLimiter {
  const { max, windowMs, redis } = options;
  if (redis) {
    const limiter = createRedisSlidingWindowLimiter({
      client: redis,
      max,
      windowMs,
      keyPrefix: options.keyPrefix ?? 'cs:auth:ip:',
    });
    return {
      async hit(action, ip) {
        try {
          const result = await limiter.hit(`${action}:${ip}`);
          return result.allowed ? 0 : Math.max(result.resetMs, 1);
        } catch (error) {
          options.onError?.(error);
          return 0;
        }
      },
      close() {},
    };
  }
  const limiter = createSlidingWindowLimiter({ max, windowMs });
  return {
    async hit(action, ip) {
      const result = limiter.hit(`${action}:${ip}`);
      return result.allowed ? 0 : Math.max(result.resetMs, 1);
    },
    close: () => limiter.close(),
  };
}
