import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every child this process started and has not yet seen exit. */
const live = new Set();

function killAllNow() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

let installed = false;
/** Kills every child on exit, on an uncaught error and on SIGINT/SIGTERM/SIGHUP. Idempotent. */
export function installCleanup(log = (m) => process.stderr.write(`${m}\n`)) {
  if (installed) return;
  installed = true;
  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      log(`\n${signal}: stopping ${live.size} server(s)`);
      killAllNow();
      process.exit(130);
    });
  }
  process.on('uncaughtException', (error) => {
    log(`uncaught: ${error?.stack ?? error}`);
    killAllNow();
    process.exit(1);
  });
  process.on('unhandledRejection', (error) => {
    log(`unhandled rejection: ${error?.stack ?? error}`);
    killAllNow();
    process.exit(1);
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment a server child gets: nothing inherited but what a process needs to run. */
export function baseEnv(extra) {
  const env = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  return { ...env, ...extra };
}

/**
 * Starts `node <args>` and resolves once `readyPath` answers 200, with the time from spawn to that
 * first 200. Rejects (after killing the child) if it exits first or is not ready within `timeoutMs`.
 */
export async function startServer({ name, args, cwd, env, port, readyPath = '/health', timeoutMs = 30_000 }) {
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    while (output.length > 200) output.shift();
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exited = { code, signal };
      resolve(exited);
    });
  });
  child.once('error', (error) => keep(`spawn error: ${error.message}\n`));

  const url = `http://127.0.0.1:${port}`;
  const handle = {
    name,
    port,
    url,
    child,
    pid: child.pid,
    output: () => output.join(''),
    exited: () => exited,
    readyMs: null,
    async stop() {
      if (exited) return exited;
      child.kill('SIGTERM');
      const result = await Promise.race([exit, sleep(5000).then(() => null)]);
      if (result) return result;
      child.kill('SIGKILL');
      return exit;
    },
  };

  const deadline = started + timeoutMs;
  while (performance.now() < deadline) {
    if (exited) break;
    try {
      const response = await fetch(url + readyPath, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        handle.readyMs = performance.now() - started;
        return handle;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(10);
  }
  await handle.stop();
  const why = exited ? `exited (code ${exited.code}, signal ${exited.signal})` : `not ready after ${timeoutMs} ms`;
  throw new Error(`${name} ${why} before ${readyPath} answered 200. Output:\n${handle.output().slice(-4000)}`);
}

/** Runs `node <args>` to completion; rejects with its output when it fails or outlives `timeoutMs`. */
export function runNode(args, { cwd, env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk) => output.push(chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => output.push(`spawn error: ${error.message}\n`));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      if (code === 0) resolve(output.join(''));
      else
        reject(
          new Error(`node ${args.join(' ')} failed (${signal ?? `exit code ${code}`}): ${output.join('').trim()}`),
        );
    });
  });
}

/** Resident set size of a live process in bytes, from /proc/<pid>/status (Linux); null elsewhere. */
export function rssBytes(pid) {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}
