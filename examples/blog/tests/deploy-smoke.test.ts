import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blogRoot } from './support/built-server.js';
import { freePort } from './support/free-port.js';

/**
 * The Dockerfile's steps without Docker: the runtime artifact from scripts/make-runtime.mjs,
 * production dependencies only (pruned like the image), started as an unprivileged user with
 * NODE_ENV=production and nothing but node on the PATH.
 */
const run = promisify(execFile);
const repoRoot = join(blogRoot, '../..');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function megabytes(path: string): number {
  let bytes = 0;
  const walk = (p: string) => {
    const stat = statSync(p);
    if (stat.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else bytes += stat.size;
  };
  walk(path);
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

let dir: string;
let dataDir: string;
let child: ChildProcess | undefined;
let output = '';
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-runtime-'));
  await run(process.execPath, [join(repoRoot, 'scripts/make-runtime.mjs'), dir], { timeout: 60_000 });
  await run('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    timeout: 180_000,
  });
  await run('sh', [join(repoRoot, 'scripts/prune-runtime.sh'), join(dir, 'node_modules')], { timeout: 60_000 });
  // mkdtemp makes the directory private to root; the unprivileged user must be able to read it.
  chmodSync(dir, 0o755);
  // The embedded database on disk, outside the artifact (as a volume is), where the unprivileged user may write.
  dataDir = mkdtempSync(join(tmpdir(), 'cs-runtime-data-'));
  chmodSync(dataDir, 0o777);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['dist/server/entry.js'], {
    cwd: dir,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      SESSION_SECRET: 'smoke-test-secret-of-at-least-32-characters',
      LOG_LEVEL: 'warn',
      DATABASE_DIR: join(dataDir, 'db'),
      PATH: dirname(process.execPath),
    },
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the runtime exited with ${child.exitCode} before answering /health:\n${output}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`no answer on /health within 15 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 300_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('production runtime, as the image runs it', () => {
  it('contains the build and production dependencies only, and reports its footprint', () => {
    expect(existsSync(join(dir, 'dist/server/entry.js'))).toBe(true);
    expect(readdirSync(join(dir, 'dist/server')).some((f) => f.endsWith('.map'))).toBe(false);
    for (const devOnly of [
      'vite',
      'vitest',
      'typescript',
      '@sveltejs/vite-plugin-svelte',
      'pino-pretty',
      'playwright-core',
      'esbuild',
    ]) {
      expect(existsSync(join(dir, 'node_modules', devOnly)), devOnly).toBe(false);
    }
    const total = megabytes(dir);
    const modules = megabytes(join(dir, 'node_modules'));
    const build = megabytes(join(dir, 'dist'));
    console.log(`production runtime footprint: ${total} MB (node_modules ${modules} MB, build output ${build} MB)`);
    // A bound that catches a dev dependency or an unpruned tree leaking in (each is tens of MB),
    // with room over today's 62 MB: PGlite's binary is 15 MB, zxcvbn's dictionaries 8 MB.
    expect(total).toBeLessThan(68);
  });

  it('runs as an unprivileged user', () => {
    const status = readFileSync(`/proc/${child!.pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
    if (asRoot) expect(uid).toBe(NOBODY);
    else expect(uid).toBe(process.getuid!());
  });

  it('serves pages, errors and assets with the production headers', async () => {
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Latest essays');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(home.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('x-frame-options')).toBe('DENY');

    const missing = await fetch(`${base}/posts/999`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect((await fetch(`${base}/posts/abc`)).status).toBe(400);

    const script = /src="(\/assets\/entry-[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${base}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 12_000)),
    ]);
    expect(code, output).toBe(0);
  }, 15_000);
});
