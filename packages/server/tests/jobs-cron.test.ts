/**
 * Schedules on both tiers: a scheduled job's queue is exclusive (a tick that arrives while the
 * previous run is still going is dropped, so runs never overlap), the next run is listed, and a
 * schedule removed from the code is removed from the database. (Once per tick across instances:
 * jobs-instances.test.ts.)
 */
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobs } from '../src/jobs/create-jobs.js';
import { defineJob } from '../src/jobs/define-job.js';
import { schedule } from '../src/jobs/schedule.js';
import { databaseTiers, eventually } from '@composable-svelte/testing';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

describe.each(await databaseTiers())('schedules on $name', (tier) => {
  it(
    'a scheduled run never overlaps the previous one: a tick while it runs is dropped',
    { timeout: 30_000 },
    async () => {
      const { database, dispose } = await tier.fresh();
      disposers.push(dispose);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let runs = 0;
      const purge = defineJob('purge', {
        payload: Type.Object({ olderThanDays: Type.Integer() }),
        handler: async () => {
          runs++;
          await released;
        },
      });
      const jobs = createJobs({
        database,
        jobs: [purge],
        schedules: [schedule('0 3 * * *', 'purge', { tz: 'Europe/Paris', payload: { olderThanDays: 30 } })],
        pollIntervalMs: 500,
      });
      disposers.push(() => jobs.stop({ timeoutMs: 1000 }));
      await jobs.start();

      const [listed] = await jobs.schedules();
      expect(listed).toMatchObject({ job: 'purge', cron: '0 3 * * *', tz: 'Europe/Paris' });
      // 03:00 in Paris is 01:00 or 02:00 UTC, depending on daylight saving time.
      expect([1, 2]).toContain(listed!.nextRunAt!.getUTCHours());
      expect(listed!.nextRunAt!.getTime()).toBeGreaterThan(Date.now());

      // A tick is a send into the job's queue, as pg-boss's cron does.
      expect(await jobs.enqueue('purge', { olderThanDays: 30 })).not.toBeNull();
      expect(await eventually(() => runs === 1, 10_000)).toBe(true);
      expect(await jobs.enqueue('purge', { olderThanDays: 30 })).toBeNull();
      release();
      expect(await eventually(async () => (await jobs.enqueue('purge', { olderThanDays: 30 })) !== null, 10_000)).toBe(
        true,
      );
    },
  );

  it(
    'one job may have several schedules; one removed from the code is removed at the next start; a bad schedule is refused',
    { timeout: 30_000 },
    async () => {
      const { database, dispose } = await tier.fresh();
      disposers.push(dispose);
      const report = defineJob('report', { payload: Type.Object({}), handler: () => {} });
      const first = createJobs({
        database,
        jobs: [report],
        schedules: [schedule('*/5 * * * *', 'report')],
        workers: false,
      });
      await first.start();
      expect((await first.schedules()).map((entry) => entry.cron)).toEqual(['*/5 * * * *']);
      await first.stop({ timeoutMs: 1000 });

      const second = createJobs({
        database,
        jobs: [report],
        schedules: [schedule('0 6 * * 1', 'report'), schedule('0 18 * * 5', 'report', { tz: 'America/New_York' })],
        workers: false,
      });
      await second.start();
      const listed = await second.schedules();
      expect(listed.map((entry) => `${entry.cron} ${entry.tz}`).sort()).toEqual([
        '0 18 * * 5 America/New_York',
        '0 6 * * 1 UTC',
      ]);
      await second.stop({ timeoutMs: 1000 });

      const third = createJobs({ database, jobs: [report], workers: false });
      disposers.push(() => third.stop({ timeoutMs: 1000 }));
      await third.start();
      expect(await third.schedules()).toEqual([]);

      expect(() => createJobs({ database, jobs: [report], schedules: [schedule('* * * * *', 'nope')] })).toThrow(
        /names job "nope", which is not defined/,
      );
      const standard = defineJob('standard', { payload: Type.Object({}), policy: 'standard', handler: () => {} });
      expect(() => createJobs({ database, jobs: [standard], schedules: [schedule('* * * * *', 'standard')] })).toThrow(
        /runs could overlap/,
      );
      const typed = defineJob('typed', { payload: Type.Object({ n: Type.Integer() }), handler: () => {} });
      expect(() => createJobs({ database, jobs: [typed], schedules: [schedule('* * * * *', 'typed')] })).toThrow(
        /payload is invalid/,
      );
    },
  );
});
