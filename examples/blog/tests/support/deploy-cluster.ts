/**
 * The production blog as a real process tree (runApp with WEB_CONCURRENCY workers), for the cluster
 * deployment tests: spawn it in a throwaway working directory, read what the primary and the
 * workers write, know every pid it ever had, and leave nothing running behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { eventually } from '@composable-svelte/testing';

/** The production server the build writes. */
export const blogEntry = fileURLToPath(new URL('../../dist/server/entry.js', import.meta.url));
/** runApp around the built blog with a posts repository that can be made slow. */
export const clusterFixture = fileURLToPath(new URL('./deploy-cluster-child.mjs', import.meta.url));

export const SESSION_SECRET = 'deploy-cluster-secret-that-is-long-enough-for-production';
const MAX_OUTPUT_CHARS = 4_000_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether a process with this pid still runs (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..." where S is the state; comm may hold spaces and parens.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

export { eventually };

export type LogLine = Record<string, unknown> & { pid?: number; msg?: string; time?: number };

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ClusterProcess {
  readonly child: ChildProcess;
  /** The primary's pid. */
  readonly pid: number;
  readonly port: number;
  readonly origin: string;
  readonly spawnedAt: number;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr, for failure messages. */
  output(): string;
  /** The JSON log lines written so far (both streams; anything else is skipped). */
  logLines(): LogLine[];
  /** Pids that logged `Server listening`, in order, with when the test saw each first. */
  listeningWorkers(): { pid: number; seenAt: number }[];
  /** Every pid other than the primary's that wrote a JSON log line. */
  workerPids(): Set<number>;
  /** Lines of plain text the primary wrote ([composable-svelte] ...). */
  primaryLines(): string[];
  exited(timeoutMs: number): Promise<Exit | 'timeout'>;
  exit(): Exit | undefined;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILLs the primary and every worker pid seen; waits for them. */
  destroy(): Promise<void>;
}

export interface SpawnClusterOptions {
  readonly env: Record<string, string>;
  /** Defaults to the built blog entry. */
  readonly script?: string;
  readonly port?: number;
}

const spawned: ClusterProcess[] = [];
const workDirs: string[] = [];

/** Starts the process; does not wait for it to listen. */
export async function spawnCluster(options: SpawnClusterOptions): Promise<ClusterProcess> {
  const script = options.script ?? blogEntry;
  if (!existsSync(blogEntry))
    throw new Error(`No production build at ${blogEntry}: run \`npm run build\` at the repository root first.`);
  const port = options.port ?? (await freePort());
  // A working directory of its own: the entry reads ./.env, which must not leak in.
  const cwd = mkdtempSync(join(tmpdir(), 'cs-deploy-cluster-'));
  workDirs.push(cwd);
  const child = spawn(process.execPath, [script], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? cwd,
      NODE_ENV: 'production',
      // Workers cannot share an embedded database on disk; each gets its own in memory.
      DATABASE_DIR: 'memory://',
      SESSION_SECRET,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${script}`);
  const pid = child.pid;
  const spawnedAt = Date.now();
  let out = '';
  let err = '';
  const seen = new Map<number, number>();
  const listening: { pid: number; seenAt: number }[] = [];
  let pendingOut = '';
  let pendingErr = '';
  const scan = (text: string) => {
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const entry = JSON.parse(line) as LogLine;
        if (typeof entry.pid === 'number' && entry.pid !== pid && !seen.has(entry.pid)) seen.set(entry.pid, Date.now());
        if (
          typeof entry.pid === 'number' &&
          typeof entry.msg === 'string' &&
          entry.msg.startsWith('Server listening')
        ) {
          listening.push({ pid: entry.pid, seenAt: Date.now() });
        }
      } catch {
        // not a log line
      }
    }
  };
  // Whole lines only: a chunk may end mid-line.
  const feed = (pending: string, chunk: string): string => {
    const text = pending + chunk;
    const cut = text.lastIndexOf('\n');
    if (cut === -1) return text;
    scan(text.slice(0, cut));
    return text.slice(cut + 1);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out = (out + text).slice(-MAX_OUTPUT_CHARS);
    pendingOut = feed(pendingOut, text);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    err = (err + text).slice(-MAX_OUTPUT_CHARS);
    pendingErr = feed(pendingErr, text);
  });
  let exit: Exit | undefined;
  const exitPromise = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });
  const workerPids = () => new Set(seen.keys());
  const killEverything = () => {
    for (const workerPid of seen.keys()) {
      try {
        process.kill(workerPid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    child.kill('SIGKILL');
  };
  // Never leave a server behind if the test process goes away without afterEach.
  process.once('exit', killEverything);

  const handle: ClusterProcess = {
    child,
    pid,
    port,
    origin: `http://127.0.0.1:${port}`,
    spawnedAt,
    stdout: () => out,
    stderr: () => err,
    output: () => `--- stdout ---\n${out}\n--- stderr ---\n${err}`,
    logLines: () =>
      `${out}\n${err}`
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as LogLine];
          } catch {
            return [];
          }
        }),
    listeningWorkers: () => [...listening],
    workerPids,
    primaryLines: () => err.split('\n').filter((line) => line.startsWith('[composable-svelte]')),
    exited: (timeoutMs) => Promise.race([exitPromise, sleep(timeoutMs).then(() => 'timeout' as const)]),
    exit: () => exit,
    kill: (signal) => {
      if (exit === undefined) child.kill(signal);
    },
    destroy: async () => {
      process.off('exit', killEverything);
      killEverything();
      await Promise.race([exitPromise, sleep(5000)]);
      await eventually(() => [...seen.keys()].every((workerPid) => !isAlive(workerPid)), 5000);
    },
  };
  spawned.push(handle);
  return handle;
}

/** Spawns and waits (bounded) until `workers` distinct workers logged `Server listening` and /health answers. */
export async function startCluster(
  options: SpawnClusterOptions & { workers: number; timeoutMs?: number },
): Promise<ClusterProcess> {
  const cluster = await spawnCluster(options);
  const ready = await eventually(
    async () => {
      if (cluster.exit()) return true;
      if (new Set(cluster.listeningWorkers().map((worker) => worker.pid)).size < options.workers) return false;
      return (await get(cluster.port, '/health').catch(() => undefined))?.status === 200;
    },
    options.timeoutMs ?? 20_000,
    50,
  );
  if (!ready || cluster.exit()) {
    await cluster.destroy();
    throw new Error(
      `The cluster did not come up with ${options.workers} listening workers (exit: ${JSON.stringify(cluster.exit())}).\n${cluster.output()}`,
    );
  }
  return cluster;
}

/** Kills whatever is still running and removes the working directories. Call from afterEach. */
export async function destroyClusters(): Promise<void> {
  await Promise.all(spawned.splice(0).map((cluster) => cluster.destroy()));
  for (const dir of workDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One GET on a fresh connection (so the primary hands every request to a worker anew). */
export function get(
  port: number,
  path: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, path, agent: false, headers: { connection: 'close', ...options.headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () =>
          resolve({
            status: response.statusCode!,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: { ...response.headers },
          }),
        );
      },
    );
    request.setTimeout(options.timeoutMs ?? 5000, () => request.destroy(new Error(`GET ${path} timed out`)));
    request.once('error', reject);
    request.end();
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export async function portAnswers(port: number): Promise<boolean> {
  return get(port, '/health', { timeoutMs: 1000 }).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ECONNREFUSED',
  );
}
