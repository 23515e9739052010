/**
 * Several instances on one PostgreSQL database share one queue: each job runs once, a cron tick
 * runs once across instances, and a job whose instance is killed mid-run (SIGKILL) completes on
 * another once its claim expires.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open-database.js';
import { createJobs, type Jobs } from '../src/jobs/create-jobs.js';
import { defineJob, type JobDefinition } from '../src/jobs/define-job.js';
import { schedule, type JobSchedule } from '../src/jobs/schedule.js';
import { eventually, requirePostgresTier } from '@composable-svelte/testing';

const postgres = await requirePostgresTier();
const WORKER = fileURLToPath(new URL('./support/jobs-worker-process.mjs', import.meta.url));

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function sharedDatabase(): Promise<string> {
  const { url, dispose } = await postgres!.fresh();
  disposers.push(dispose);
  return url!;
}

/** One more instance on the same database: its own pool and its own pg-boss. */
async function instance<const D extends readonly JobDefinition[]>(
  url: string,
  jobs: D,
  schedules: readonly JobSchedule[] = [],
): Promise<Jobs<D>> {
  const database = await openDatabase({ url, pool: { max: 4 } });
  const created = createJobs({
    database,
    jobs,
    schedules,
    pollIntervalMs: 500,
    superviseIntervalMs: 1000,
    cronIntervalMs: 1000,
  });
  disposers.push(async () => {
    await created.stop({ timeoutMs: 1000 });
    await database.close();
  });
  await created.start();
  return created;
}

describe.skipIf(!postgres)('jobs across instances on one PostgreSQL', () => {
  it('processes each job exactly once between two instances', { timeout: 40_000 }, async () => {
    const url = await sharedDatabase();
    const runs: { id: string; by: string }[] = [];
    const work = (by: string) =>
      defineJob('work', {
        payload: Type.Object({ n: Type.Integer() }),
        concurrency: 2,
        handler: async (_payload, context) => {
          runs.push({ id: context.id, by });
          await new Promise((resolve) => setTimeout(resolve, 20));
        },
      });
    const a = await instance(url, [work('a')]);
    await instance(url, [work('b')]);
    const ids = await Promise.all(Array.from({ length: 40 }, (_, n) => a.enqueue('work', { n })));
    expect(await eventually(() => runs.length >= 40, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs).toHaveLength(40);
    expect(new Set(runs.map((run) => run.id))).toEqual(new Set(ids));
    expect(new Set(runs.map((run) => run.by))).toEqual(new Set(['a', 'b']));
  });

  it('a cron tick runs once across two instances', { timeout: 90_000 }, async () => {
    const url = await sharedDatabase();
    const runs: string[] = [];
    const tick = (by: string) =>
      defineJob('tick', {
        payload: Type.Object({}),
        handler: () => {
          runs.push(by);
        },
      });
    const everyMinute = [schedule('* * * * *', 'tick')];
    const a = await instance(url, [tick('a')], everyMinute);
    await instance(url, [tick('b')], everyMinute);
    // pg-boss evaluates schedules at minute resolution: the next tick is within a minute.
    expect(await eventually(() => runs.length > 0, 70_000, 100)).toBe(true);
    // Both instances keep evaluating the schedule every second. Start-up may also send the tick of
    // the minute that just began, so count ticks: each must have produced exactly one run.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    disposers.push(() => client.end());
    const ticks = await client.query<{ n: number; slots: number }>(
      `select count(*)::int as n, count(distinct singleton_on)::int as slots
       from pgboss.job where name = '__pgboss__send-it' and data->>'name' = 'tick'`,
    );
    const created = await client.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'tick'`);
    expect(ticks.rows[0]!.n).toBeGreaterThan(0);
    expect(ticks.rows[0]!.n).toBe(ticks.rows[0]!.slots);
    expect(created.rows[0]!.n).toBe(ticks.rows[0]!.n);
    expect(runs).toHaveLength(ticks.rows[0]!.n);
    expect((await a.schedules()).map((entry) => entry.job)).toEqual(['tick']);
  });

  it(
    'a job whose instance is killed mid-run completes on another after its claim expires',
    { timeout: 60_000 },
    async () => {
      const url = await sharedDatabase();
      const completedBy: string[] = [];
      const slow = defineJob('slow', {
        payload: Type.Object({ n: Type.Integer() }),
        timeoutMs: 2000,
        retry: { limit: 3 },
        handler: (_payload, context) => {
          completedBy.push(`${context.id}#${context.attempt}`);
        },
      });
      const child: ChildProcess = spawn(process.execPath, [WORKER], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      disposers.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      const lines = createInterface({ input: child.stdout! });
      const seen: string[] = [];
      lines.on('line', (line) => seen.push(line));
      expect(await eventually(() => seen.includes('ready'), 20_000)).toBe(true);

      // This instance only enqueues at first, so the child takes the job.
      const database = await openDatabase({ url, pool: { max: 4 } });
      const jobs = createJobs({
        database,
        jobs: [slow],
        workers: false,
        pollIntervalMs: 500,
        superviseIntervalMs: 1000,
      });
      disposers.push(async () => {
        await jobs.stop({ timeoutMs: 1000 });
        await database.close();
      });
      await jobs.start();
      const id = await jobs.enqueue('slow', { n: 1 });
      expect(await eventually(() => seen.includes(`started ${id}`), 10_000)).toBe(true);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      expect((await jobs.get('slow', id!))?.state).toBe('active');

      await jobs.startWorkers();
      expect(await eventually(async () => (await jobs.get('slow', id!))?.state === 'completed', 20_000, 100)).toBe(
        true,
      );
      expect(completedBy).toEqual([`${id}#2`]);
    },
  );
});
