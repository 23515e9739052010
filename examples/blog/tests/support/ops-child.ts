import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { freePort } from './free-port.js';

export const blogRoot = fileURLToPath(new URL('../../', import.meta.url));
export const builtEntry = fileURLToPath(new URL('../../dist/server/entry.js', import.meta.url));
export const opsFixture = fileURLToPath(new URL('./ops-blog-child.mjs', import.meta.url));

/** The production environment the child processes start from. */
export const PRODUCTION_CHILD_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  // Each server its own embedded database: test files run in parallel.
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'info',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  PUBLIC_URL: 'https://example.test',
  HOST: '127.0.0.1',
  // Steady load from one address: the limiter is not under test.
  RATE_LIMIT_MAX: '1000000',
};

const MAX_OUTPUT_CHARS = 2_000_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Child {
  readonly process: ChildProcess;
  readonly port: number;
  readonly origin: string;
  stdout(): string;
  stderr(): string;
  /** stdout parsed as JSON lines (production logs); lines that are not JSON are skipped. */
  logLines(): Record<string, unknown>[];
  /** Log lines whose msg contains `needle`. */
  logged(needle: string): Record<string, unknown>[];
  /** Resolves with the exit code (null when killed by a signal) and signal, or 'timeout'. */
  exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'>;
  /** Milliseconds since the epoch when the process exited. */
  exitedAt(): number | undefined;
  kill(signal?: NodeJS.Signals): void;
}

const running: Child[] = [];

/** SIGKILLs any child a test left running, after each test. Call once per file. */
export function killChildrenAfterEach(): void {
  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.kill('SIGKILL');
        await child.exited(5000);
      }
    }
  });
}

export interface SpawnOptions {
  readonly script?: string;
  readonly env?: Record<string, string>;
  /** Replaces the whole environment (PATH and HOME are kept). */
  readonly cleanEnv?: boolean;
  readonly cwd?: string;
  readonly port?: number;
}

/** Starts `node <script>` (the ops fixture by default) and records its output. Does not wait for it to listen. */
export function spawnChild(options: SpawnOptions & { port: number }): Child {
  const script = options.script ?? opsFixture;
  if (!existsSync(fileURLToPath(new URL('../../dist/server/app.js', import.meta.url)))) {
    throw new Error('No production build of the blog: run `npm run build` at the repository root first.');
  }
  const base: Record<string, string | undefined> = options.cleanEnv
    ? { PATH: process.env.PATH, HOME: process.env.HOME }
    : { ...process.env };
  // Never inherit the test runner's own settings into the child.
  for (const key of ['NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'TEST', 'NODE_ENV'])
    delete base[key];
  const child = spawn(process.execPath, [script], {
    cwd: options.cwd ?? blogRoot,
    env: { ...base, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let exitedAt: number | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > MAX_OUTPUT_CHARS) out = out.slice(-MAX_OUTPUT_CHARS);
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    if (err.length > MAX_OUTPUT_CHARS) err = err.slice(-MAX_OUTPUT_CHARS);
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedAt = Date.now();
      resolve({ code, signal });
    });
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exit.then(() => process.off('exit', killOnExit));

  const logLines = () =>
    out
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const handle: Child = {
    process: child,
    port: options.port,
    origin: `http://127.0.0.1:${options.port}`,
    stdout: () => out,
    stderr: () => err,
    logLines,
    logged: (needle) => logLines().filter((line) => typeof line.msg === 'string' && line.msg.includes(needle)),
    exited: (timeoutMs) => Promise.race([exit, sleep(timeoutMs).then(() => 'timeout' as const)]),
    exitedAt: () => exitedAt,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
  running.push(handle);
  return handle;
}

/** Spawns the fixture on a free port and waits (bounded) until /health answers 200. */
export async function startChild(options: SpawnOptions = {}): Promise<Child> {
  const port = options.port ?? (await freePort());
  const child = spawnChild({ ...options, port, env: { ...PRODUCTION_CHILD_ENV, PORT: String(port), ...options.env } });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(
        `The child exited before /health answered.\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      );
    }
    try {
      const response = await fetch(`${child.origin}/health`, {
        signal: AbortSignal.timeout(1000),
        headers: { connection: 'close' },
      });
      await response.body?.cancel();
      if (response.status === 200) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The child did not answer /health within 15 s.\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      );
    }
    await sleep(50);
  }
}
