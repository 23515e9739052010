import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { serviceUnavailable } from '@composable-svelte/testing';

export { serviceUnavailable };

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

export interface RedisBinaries {
  readonly server: string;
  readonly cli: string;
}

/** The redis-server and redis-cli executables, needed to start a private, killable Redis. */
export function requireRedisBinaries(): RedisBinaries | null {
  const binaries = {
    server: process.env.REDIS_SERVER_BIN || 'redis-server',
    cli: process.env.REDIS_CLI_BIN || 'redis-cli',
  };
  for (const bin of Object.values(binaries)) {
    const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 5000 });
    if (probe.status !== 0)
      return serviceUnavailable(`the ${bin} executable`, probe.error?.message ?? probe.stderr.trim());
  }
  return binaries;
}
