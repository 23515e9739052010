import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RedisBinaries } from './redis-available.js';

const run = promisify(execFile);

/** A private redis-server the test may stop and restart (the shared one must stay up). */
export interface SpareRedis {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server if running and removes its directory. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function createSpareRedis(binaries: RedisBinaries): Promise<SpareRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cs-redis-'));
  const pidfile = join(dir, 'redis.pid');
  const answers = async (): Promise<boolean> =>
    run(binaries.cli, ['-p', String(port), 'ping'], { timeout: 2000 }).then(
      ({ stdout }) => stdout.trim() === 'PONG',
      () => false,
    );

  const spare: SpareRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      await run(binaries.server, [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'yes',
        '--dir',
        dir,
        '--pidfile',
        pidfile,
        '--logfile',
        join(dir, 'redis.log'),
      ]);
      await until(answers, 5000, `redis-server on port ${port} to start`);
    },
    async stop() {
      await run(binaries.cli, ['-p', String(port), 'shutdown', 'nosave'], { timeout: 5000 }).catch(() => undefined);
      await until(async () => !(await answers()), 5000, `redis-server on port ${port} to stop`);
    },
    async dispose() {
      await spare.stop().catch(() => undefined);
      // Last resort if shutdown failed: the pid is the server this helper started.
      if (existsSync(pidfile)) {
        const pid = Number(readFileSync(pidfile, 'utf8').trim());
        if (pid > 0) {
          try {
            process.kill(pid);
          } catch {
            // already gone
          }
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return spare;
}
