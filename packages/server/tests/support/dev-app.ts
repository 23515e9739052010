import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(PACKAGE, 'tests/fixtures/dev-app');
/** Copies live inside the repository, so Vite and Node find its node_modules. */
const COPIES = join(PACKAGE, 'tests/.tmp');
export const CLI = join(PACKAGE, 'bin/composable-svelte.js');

export interface RunningDevApp {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything the dev server wrote to stdout and stderr so far. */
  output(): string;
  /**
   * Replaces text in one of the copy's files, as an editor's save would: written in place, or (as
   * many editors do) written to a new file renamed over the old one.
   */
  edit(file: string, from: string, to: string, saveBy?: 'write' | 'rename'): void;
  /** Puts files back as the fixture has them (after a test's edits). */
  restore(...files: string[]): void;
  stop(): Promise<void>;
}

/** Runs `composable-svelte dev` (the real command, in its own process) on a fresh copy of the fixture app. */
export async function startDevApp(args: readonly string[] = ['--port', '0']): Promise<RunningDevApp> {
  mkdirSync(COPIES, { recursive: true });
  const root = mkdtempSync(join(COPIES, 'dev-app-'));
  cpSync(FIXTURE, root, { recursive: true });
  const child = spawn(process.execPath, [CLI, 'dev', '--root', root, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const ready = /\[dev\] ready in \d+ ms: (http:\/\/\S+)/.exec(output);
      if (ready) resolve(ready[1]!);
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the dev server exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    url,
    process: child,
    output: () => output,
    edit: (file, from, to, saveBy = 'write') => {
      const path = join(root, file);
      const text = readFileSync(path, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      if (saveBy === 'write') return writeFileSync(path, text.replace(from, to));
      writeFileSync(`${path}.saving`, text.replace(from, to));
      renameSync(`${path}.saving`, path);
    },
    restore: (...files) => {
      for (const file of files) {
        const original = readFileSync(join(FIXTURE, file), 'utf8');
        if (readFileSync(join(root, file), 'utf8') !== original) writeFileSync(join(root, file), original);
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
