import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(PACKAGE, 'tests/fixtures/prerender-app');
/** Copies live inside the repository, so Vite and Node find its node_modules. */
const COPIES = join(PACKAGE, 'tests/.tmp');
const VITE = join(PACKAGE, '../../node_modules/vite/bin/vite.js');
export const CLI = join(PACKAGE, 'bin/composable-svelte.js');

export interface BuiltSite {
  /** The copy's directory: dist/client, dist/server/app.js, and where prerender writes dist/prerendered. */
  readonly root: string;
  remove(): void;
}

/** Runs Node (or `command`) in the copy; resolves with its exit code and everything it printed. */
export function run(
  root: string,
  args: readonly string[],
  env: Record<string, string> = {},
  command = process.execPath,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NODE_ENV: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** A fresh copy of the prerender fixture app, built as an app is: the client, then the server module. */
export async function buildSite(): Promise<BuiltSite> {
  mkdirSync(COPIES, { recursive: true });
  const root = mkdtempSync(join(COPIES, 'prerender-app-'));
  cpSync(FIXTURE, root, { recursive: true });
  for (const args of [
    [VITE, 'build'],
    [VITE, 'build', '--ssr'],
  ]) {
    const { code, output } = await run(root, args);
    if (code !== 0) throw new Error(`vite ${args.slice(1).join(' ')} failed:\n${output}`);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The environment the prerender step and the server run with in these tests. */
export const SITE_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://site.example',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
};
