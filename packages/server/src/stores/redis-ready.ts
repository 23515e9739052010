import type { Redis } from 'ioredis';

/**
 * Resolves true once the client can send commands, or false after `timeoutMs`. Lets start-up give
 * Redis a moment (so the first requests are limited, or not refused under 'closed') without ever
 * depending on it.
 */
export function redisReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ready: boolean): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => finish(true);
    const timer = setTimeout(() => finish(false), timeoutMs);
    client.on('ready', onReady);
  });
}
