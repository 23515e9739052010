import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../support/free-port.js';

/** examples/blog, whatever the working directory of the test run. */
export const blogRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The production server the build writes; the browser tests exercise exactly what users get. */
export const serverEntry = fileURLToPath(new URL('../../../dist/server/entry.js', import.meta.url));

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const MAX_OUTPUT_CHARS = 20_000;

export interface RunningServer {
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  /** What the server wrote to stdout and stderr so far (bounded). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, STOP_GRACE_MS)) return;
  child.kill('SIGKILL');
  await waitForExit(child, STOP_GRACE_MS);
}

class PortTakenError extends Error {}

export interface StartOptions {
  /**
   * Serve HTTPS with this certificate (for localhost), as a deployment without a proxy does:
   * PUBLIC_URL becomes https://localhost:<port>, and the readiness probe trusts `ca`.
   */
  readonly tls?: { readonly certPath: string; readonly keyPath: string; readonly ca: Buffer };
}

async function healthStatus(url: string, ca: Buffer | undefined): Promise<number> {
  if (!ca) {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.status;
  }
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ca, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', reject);
  });
}

async function startOnce(port: number, options: StartOptions): Promise<RunningServer> {
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  const { tls } = options;
  const origin = tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [serverEntry], {
    cwd: blogRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // Where the site is reached (canonical links use it), as a deployment would set it.
      PUBLIC_URL: origin,
      NODE_ENV: 'production',
      // Browser test files run in parallel: each server its own embedded database.
      DATABASE_DIR: 'memory://',
      LOG_LEVEL: 'warn',
      // Production refuses to start without one; a throwaway secret per test server.
      SESSION_SECRET: randomBytes(48).toString('base64'),
      ...(tls ? { TLS_CERT: tls.certPath, TLS_KEY: tls.keyPath } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // Never leave a server behind if the test process goes away without afterAll.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(`Could not start the blog server (${serverEntry}): ${spawnError.message}`);
    }
    if (hasExited(child)) {
      process.off('exit', killOnExit);
      if (/EADDRINUSE/.test(output)) throw new PortTakenError(output);
      throw new Error(
        `The blog server exited (code ${child.exitCode}, signal ${child.signalCode}) before /health answered.\n` +
          `Server output:\n${output || '(none)'}`,
      );
    }
    try {
      if ((await healthStatus(`${origin}/health`, tls?.ca)) === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The blog server did not answer ${origin}/health with 200 within ${READY_TIMEOUT_MS / 1000} s.\n` +
          `Server output:\n${output || '(none)'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { origin, output: () => output, stop };
}

/** Starts `dist/server/entry.js` on a free port and resolves once /health answers 200. */
export async function startBuiltServer(options: StartOptions = {}): Promise<RunningServer> {
  if (!existsSync(serverEntry)) {
    throw new Error(`No production build at ${serverEntry}. Run \`npm run build\` at the repository root first.`);
  }
  // Another process may take the port between our probe and the server's listen; try a new one then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3) {
        throw error instanceof PortTakenError
          ? new Error(`The blog server kept finding its port taken:\n${error.message}`)
          : error;
      }
    }
  }
}
