/**
 * Start-up configuration of the built entry (dist/server/entry.js), as an operator runs it: every
 * problem reported at once with exit code 1, and a .env file in the working directory read, with
 * the environment winning over it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtEntry, killChildrenAfterEach, sleep, spawnChild, type Child } from './support/ops-child.js';
import { freePort } from './support/free-port.js';

killChildrenAfterEach();

const SECRET = 'test-secret-that-is-at-least-32-characters';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An empty working directory, optionally with a .env file. */
function workdir(dotenv?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ops-config-'));
  dirs.push(dir);
  if (dotenv !== undefined) writeFileSync(join(dir, '.env'), dotenv);
  return dir;
}

function runEntry(cwd: string, env: Record<string, string>, port: number): Child {
  return spawnChild({ script: builtEntry, cleanEnv: true, cwd, env, port });
}

async function healthStatus(port: number): Promise<number | string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/health`, {
      headers: { connection: 'close' },
      signal: AbortSignal.timeout(1000),
    });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code ?? String(error);
  }
}

async function waitForHealth(child: Child, port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await healthStatus(port)) !== 200) {
    if (child.process.exitCode !== null)
      throw new Error(`exited ${child.process.exitCode}:\n${child.stdout()}\n${child.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no /health on ${port}:\n${child.stdout()}\n${child.stderr()}`);
    await sleep(50);
  }
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('invalid configuration', () => {
  it('exits with code 1 and reports every problem at once, without a stack trace', { timeout: 20_000 }, async () => {
    const child = runEntry(
      workdir(),
      {
        NODE_ENV: 'production',
        PORT: 'abc',
        RATE_LIMIT_MAX: '-1',
        LOG_LEVEL: 'loud',
        METRICS_TOKEN: 'short',
        PUBLIC_URL: 'not a url',
        REDIS_URL: 'http://127.0.0.1:6379',
      },
      0,
    );
    const exit = await child.exited(10_000);
    expect(exit).toEqual({ code: 1, signal: null });
    const stderr = child.stderr();
    expect(stderr).toContain('Invalid configuration');
    for (const name of [
      'PORT',
      'RATE_LIMIT_MAX',
      'SESSION_SECRET',
      'LOG_LEVEL',
      'METRICS_TOKEN',
      'PUBLIC_URL',
      'REDIS_URL',
    ]) {
      expect(stderr, name).toMatch(new RegExp(`^\\s+- ${name}\\b`, 'm'));
    }
    // What was given is echoed, so the operator sees which value is wrong.
    expect(stderr).toContain('"abc"');
    expect(stderr).toContain('"-1"');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(child.stdout()).not.toContain('Server listening');
  });

  it('reports a bad value that comes from the .env file too', { timeout: 20_000 }, async () => {
    const child = runEntry(workdir(`NODE_ENV=production\nSESSION_SECRET=${SECRET}\nRATE_LIMIT_MAX=0\n`), {}, 0);
    expect(await child.exited(10_000)).toEqual({ code: 1, signal: null });
    expect(child.stderr()).toMatch(/^\s+- RATE_LIMIT_MAX\b.*"0"/m);
    expect(child.stderr()).not.toContain('SESSION_SECRET');
  });
});

describe('.env in the working directory', () => {
  it('is read: PORT and SESSION_SECRET from .env when the environment has none', { timeout: 30_000 }, async () => {
    const port = await freePort();
    const dotenv = [
      '# written by the ops config test',
      'NODE_ENV=production',
      `PORT=${port}`,
      'HOST=127.0.0.1',
      `SESSION_SECRET="${SECRET}"`,
      'PUBLIC_URL=https://example.test',
      'LOG_LEVEL=info',
      '',
    ].join('\n');
    const child = runEntry(workdir(dotenv), {}, port);
    await waitForHealth(child, port);
    // Production settings from .env took effect: JSON logs, no missing-secret warning.
    expect(child.stdout()).toContain('"msg":"Server listening');
    expect(child.stdout()).not.toContain('SESSION_SECRET is not set');
    child.kill('SIGTERM');
    expect(await child.exited(10_000)).toEqual({ code: 0, signal: null });
  });

  it('loses to the environment when both set a variable', { timeout: 30_000 }, async () => {
    const dotenvPort = await freePort();
    const envPort = await freePort();
    expect(envPort).not.toBe(dotenvPort);
    const dir = workdir(
      `NODE_ENV=production\nPORT=${dotenvPort}\nHOST=127.0.0.1\nSESSION_SECRET=${SECRET}\nPUBLIC_URL=https://example.test\nLOG_LEVEL=warn\n`,
    );
    const child = runEntry(dir, { PORT: String(envPort), LOG_LEVEL: 'info' }, envPort);
    await waitForHealth(child, envPort);
    expect(await refuses(dotenvPort)).toBe(true);
    // LOG_LEVEL=info from the environment beat warn from .env: the info line is there.
    expect(child.stdout()).toContain(`"msg":"Server listening at http://127.0.0.1:${envPort}"`);
    child.kill('SIGTERM');
    expect(await child.exited(10_000)).toEqual({ code: 0, signal: null });
  });
});
