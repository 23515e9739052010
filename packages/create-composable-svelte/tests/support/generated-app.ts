import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(PACKAGE_DIR, 'dist', 'cli.js');
/**
 * Apps are generated under the package, inside the repository: their `file:` dependencies and
 * every other dependency resolve through the repository's node_modules, as after an install.
 */
const SCRATCH = join(PACKAGE_DIR, '.tmp');

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh, empty parent directory for one test's apps; removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  mkdirSync(SCRATCH, { recursive: true });
  const dir = mkdtempSync(join(SCRATCH, 'app-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runCli(args: readonly string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: cleanEnv() });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function npm(args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync('npm', [...args], { cwd, encoding: 'utf8', env: { ...cleanEnv(), ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function node(args: readonly string[], cwd: string, env: Record<string, string>): Run {
  const result = spawnSync(process.execPath, [...args], { cwd, encoding: 'utf8', env: { ...cleanEnv(), ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The parent's environment without what would change how the app runs (the test runner's NODE_ENV…). */
function cleanEnv(): Record<string, string> {
  // Plain output: the tests read what the tools print.
  const env: Record<string, string> = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(NODE_ENV|VITEST.*|PORT|HOST|DATABASE_URL|REDIS_URL|INIT_CWD|npm_.*)$/.test(key))
      env[key] = value;
  }
  return env;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `npm start` in its own process group, once it says it listens. PUBLIC_URL is the address the
 * test uses, so the CSRF origin check sees the same origin a browser would send.
 */
export async function npmStart(
  cwd: string,
  env: Record<string, string>,
  deadlineMs: number,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const child = spawn('npm', ['start'], {
    cwd,
    env: {
      ...cleanEnv(),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: publicUrl,
      // What is tested is the app, not load shedding: a busy CI machine must not turn pages into 503s.
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" within ${deadlineMs} ms:\n${output}`)), deadlineMs);
    const look = () => {
      if (output.includes(`Server listening at ${publicUrl}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', look);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited ${code} before listening:\n${output}`));
    });
  });
  return { url: publicUrl, stop: () => stopGroup(child) };
}

/**
 * `npm run dev` (composable-svelte dev) in its own process group, once /health answers. The dev
 * server takes its port from --port and has Vite build modules on demand, so the first page is
 * the slow one.
 */
export async function npmDev(
  cwd: string,
  deadlineMs: number,
): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('npm', ['run', 'dev', '--', '--port', String(port), '--host', '127.0.0.1'], {
    cwd,
    env: {
      ...cleanEnv(),
      PUBLIC_URL: url,
      LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
      LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited ${child.exitCode} before serving:\n${output}`);
    const healthy = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stopGroup(child);
      throw new Error(`npm run dev did not answer /health within ${deadlineMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => output, stop: () => stopGroup(child) };
}

/** SIGTERM to npm and the server under it; resolves once npm has exited. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

export const read = (path: string) => readFileSync(path, 'utf8');
