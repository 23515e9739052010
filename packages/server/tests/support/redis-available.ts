import { spawnSync } from 'node:child_process';
import { serviceUnavailable } from '@composable-svelte/testing';

export { serviceUnavailable, requireRedis, REDIS_URL } from '@composable-svelte/testing';

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
