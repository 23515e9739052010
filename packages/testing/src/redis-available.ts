import { Redis } from 'ioredis';
import { serviceUnavailable } from './service-unavailable.js';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Resolves with the Redis URL when Redis answers PING, else null (or throws on CI). */
export async function requireRedis(url = REDIS_URL): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let connectionError: Error | undefined;
  client.on('error', (error: Error) => (connectionError = error));
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (error) {
    const cause = connectionError ?? error;
    return serviceUnavailable(
      'Redis',
      `${url} from REDIS_URL: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  } finally {
    client.disconnect();
  }
}
