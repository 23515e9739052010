/**
 * SIGTERM to a server process running jobs: the workers stop fetching at once, the running job
 * finishes, and the process exits 0; a job enqueued meanwhile stays queued for another instance.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { defineJob } from '../src/jobs/define-job.js';
import { PRODUCTION_ENV } from './support/test-server.js';
import { eventually, requirePostgresTier } from '@composable-svelte/testing';

const postgres = await requirePostgresTier();
const SERVER = fileURLToPath(new URL('./support/jobs-server-process.mjs', import.meta.url));

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

describe.skipIf(!postgres)('SIGTERM with jobs running', () => {
  it('finishes the running job, fetches no other, and exits 0', { timeout: 60_000 }, async () => {
    const { url, dispose } = await postgres!.fresh();
    disposers.push(dispose);
    const child = spawn(process.execPath, [SERVER], {
      env: { ...process.env, ...PRODUCTION_ENV, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    disposers.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(await eventually(() => lines.includes('ready'), 30_000)).toBe(true);

    const database = await openDatabase({ url: url!, pool: { max: 2 } });
    const work = defineJob('work', { payload: Type.Object({ n: Type.Integer() }), handler: () => {} });
    const jobs = createJobs({ database, jobs: [work], workers: false });
    disposers.push(async () => {
      await jobs.stop({ timeoutMs: 1000 });
      await database.close();
    });
    await jobs.start();
    const first = await jobs.enqueue('work', { n: 1 });
    expect(await eventually(() => lines.includes(`started ${first}`), 10_000)).toBe(true);

    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await jobs.enqueue('work', { n: 2 });
    expect(await exited).toBe(0);
    expect(lines).toContain(`finished ${first}`);
    expect(lines).not.toContain(`started ${second}`);
    expect((await jobs.get('work', first!))?.state).toBe('completed');
    expect((await jobs.get('work', second!))?.state).toBe('created');
  });
});
