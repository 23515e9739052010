/**
 * Durable jobs on both tiers (pg-boss on the embedded PGlite, and on PostgreSQL): validation at
 * enqueue, retries with back-off, dead letters and their retry, priority, singleton and
 * idempotency keys, progress, cancellation, metrics and the health the /ready check reports.
 */
import { Type } from '@sinclair/typebox';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobs, type Jobs, type JobsOptions } from '../src/jobs/create-jobs.js';
import { defineJob, type JobDefinition } from '../src/jobs/define-job.js';
import { JobPayloadError } from '../src/jobs/job-payload.js';
import { databaseTiers, eventually, type Tier } from '@composable-svelte/testing';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function startJobs<const D extends readonly JobDefinition[]>(
  tier: Tier,
  jobs: D,
  options: Partial<JobsOptions<D>> = {},
): Promise<{ jobs: Jobs<D>; registry: Registry }> {
  const { database, dispose } = await tier.fresh();
  disposers.push(dispose);
  const registry = new Registry();
  const created = createJobs({
    database,
    jobs,
    registry,
    pollIntervalMs: 500,
    superviseIntervalMs: 1000,
    ...options,
  });
  disposers.push(() => created.stop({ timeoutMs: 1000 }));
  await created.start();
  return { jobs: created, registry };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(await databaseTiers())('jobs on $name', (tier) => {
  it(
    'runs an enqueued job once with its payload, and refuses a payload that does not match',
    { timeout: 30_000 },
    async () => {
      const seen: { to: string; attempt: number }[] = [];
      const mail = defineJob('send-mail', {
        payload: Type.Object({ to: Type.String({ minLength: 3 }), subject: Type.String() }),
        handler: (payload, context) => {
          seen.push({ to: payload.to, attempt: context.attempt });
          return { sent: true };
        },
      });
      const { jobs } = await startJobs(tier, [mail]);
      const id = await jobs.enqueue('send-mail', { to: 'ada@example.com', subject: 'Hi' });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await eventually(async () => (await jobs.get('send-mail', id!))?.state === 'completed', 10_000)).toBe(
        true,
      );
      expect(seen).toEqual([{ to: 'ada@example.com', attempt: 1 }]);
      expect((await jobs.get('send-mail', id!))?.output).toEqual({ sent: true });

      const refused = jobs.enqueue('send-mail', { to: 42, subject: 'Hi' } as never);
      await expect(refused).rejects.toBeInstanceOf(JobPayloadError);
      await expect(refused).rejects.toMatchObject({
        statusCode: 400,
        message: expect.stringMatching(/send-mail.*\/to/),
      });
      await expect(jobs.enqueue('nope' as never, {} as never)).rejects.toThrow(/No job named "nope".*send-mail/);
    },
  );

  it(
    'retries a failing job with back-off, then dead-letters it; a retry from the dead letters runs it again',
    { timeout: 40_000 },
    async () => {
      const attempts: number[] = [];
      let healthy = false;
      const flaky = defineJob('flaky', {
        payload: Type.Object({ n: Type.Number() }),
        retry: { limit: 2, backoff: 'fixed', delayMs: 1000 },
        handler: () => {
          attempts.push(Date.now());
          if (!healthy) throw new Error('upstream down');
        },
      });
      const { jobs } = await startJobs(tier, [flaky]);
      const id = await jobs.enqueue('flaky', { n: 1 });
      expect(await eventually(async () => (await jobs.deadLetters('flaky')).length === 1, 20_000, 200)).toBe(true);
      expect(attempts).toHaveLength(3);
      // A fixed delay of 1 s between tries (pg-boss counts whole seconds).
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
      expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(900);
      expect((await jobs.get('flaky', id!))?.state).toBe('failed');
      const [dead] = await jobs.deadLetters('flaky');
      expect(dead).toMatchObject({ job: 'flaky', originalId: id, payload: { n: 1 }, attempts: 3 });
      expect(JSON.stringify(dead!.error)).toContain('upstream down');

      healthy = true;
      expect(await jobs.retryDeadLetters('flaky', { ids: [dead!.id] })).toBe(1);
      expect(await eventually(() => attempts.length === 4, 10_000)).toBe(true);
      expect(await eventually(async () => (await jobs.deadLetters('flaky')).length === 0, 5000)).toBe(true);
    },
  );

  it('exponential back-off waits longer before each retry', { timeout: 40_000 }, async () => {
    const attempts: number[] = [];
    const backoff = defineJob('backoff', {
      payload: Type.Object({}),
      retry: { limit: 2, backoff: 'exponential', delayMs: 1000 },
      deadLetter: false,
      handler: () => {
        attempts.push(Date.now());
        throw new Error('no');
      },
    });
    const { jobs } = await startJobs(tier, [backoff]);
    const id = await jobs.enqueue('backoff', {});
    expect(await eventually(async () => (await jobs.get('backoff', id!))?.state === 'failed', 30_000, 200)).toBe(true);
    expect(attempts).toHaveLength(3);
    // pg-boss: delay · 2^retry / 2 plus up to as much jitter, so ≥ 1 s, then ≥ 2 s.
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(900);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(1900);
  });

  it('runs ready jobs by priority, highest first', { timeout: 30_000 }, async () => {
    const order: string[] = [];
    const work = defineJob('work', {
      payload: Type.Object({ label: Type.String() }),
      handler: (payload) => {
        order.push(payload.label);
      },
    });
    const { jobs } = await startJobs(tier, [work], { workers: false });
    await jobs.enqueue('work', { label: 'low' }, { priority: 1 });
    await jobs.enqueue('work', { label: 'normal' });
    await jobs.enqueue('work', { label: 'urgent' }, { priority: 10 });
    await jobs.startWorkers();
    expect(await eventually(() => order.length === 3, 10_000)).toBe(true);
    expect(order).toEqual(['urgent', 'low', 'normal']);
  });

  it('an idempotency key creates one job; a singleton key keeps one queued per key', { timeout: 30_000 }, async () => {
    const plain = defineJob('charge', { payload: Type.Object({ cents: Type.Integer() }), handler: () => {} });
    const digest = defineJob('digest', {
      payload: Type.Object({ post: Type.Integer() }),
      policy: 'short',
      handler: () => {},
    });
    const { jobs } = await startJobs(tier, [plain, digest], { workers: false });
    const first = await jobs.enqueue('charge', { cents: 100 }, { idempotencyKey: 'order-7' });
    expect(first).not.toBeNull();
    expect(await jobs.enqueue('charge', { cents: 100 }, { idempotencyKey: 'order-7' })).toBeNull();
    expect(await jobs.enqueue('charge', { cents: 100 }, { idempotencyKey: 'order-8' })).not.toBeNull();

    expect(await jobs.enqueue('digest', { post: 1 }, { singletonKey: 'post:1' })).not.toBeNull();
    expect(await jobs.enqueue('digest', { post: 1 }, { singletonKey: 'post:1' })).toBeNull();
    expect(await jobs.enqueue('digest', { post: 2 }, { singletonKey: 'post:2' })).not.toBeNull();
    await expect(jobs.enqueue('charge', { cents: 1 }, { singletonKey: 'x' })).rejects.toThrow(/policy is "standard"/);
  });

  it(
    'reports progress while a job runs; cancelling aborts its signal and a queued one never runs',
    { timeout: 30_000 },
    async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let aborted = false;
      const runs: number[] = [];
      const long = defineJob('long', {
        payload: Type.Object({ n: Type.Integer() }),
        handler: async (payload, context) => {
          runs.push(payload.n);
          await context.progress(40);
          context.signal.addEventListener('abort', () => (aborted = true));
          await Promise.race([released, new Promise((resolve) => context.signal.addEventListener('abort', resolve))]);
          return { done: payload.n };
        },
      });
      const { jobs } = await startJobs(tier, [long]);
      const running = await jobs.enqueue('long', { n: 1 });
      expect(await eventually(async () => (await jobs.get('long', running!))?.progress === 40, 10_000)).toBe(true);
      expect((await jobs.get('long', running!))?.state).toBe('active');

      const queued = await jobs.enqueue('long', { n: 2 }, { delayMs: 60_000 });
      await jobs.cancel('long', queued!);
      expect((await jobs.get('long', queued!))?.state).toBe('cancelled');

      await jobs.cancel('long', running!);
      expect(await eventually(() => aborted, 5000)).toBe(true);
      expect((await jobs.get('long', running!))?.state).toBe('cancelled');
      release();
      await sleep(1200);
      expect(runs).toEqual([1]);
      expect((await jobs.get('long', running!))?.state).toBe('cancelled');
    },
  );

  it('a run past its timeout has its signal aborted and fails', { timeout: 30_000 }, async () => {
    let aborted = false;
    const stuck = defineJob('stuck', {
      payload: Type.Object({}),
      timeoutMs: 1000,
      retry: { limit: 0 },
      deadLetter: false,
      handler: async (_payload, context) => {
        await new Promise((resolve) => context.signal.addEventListener('abort', resolve));
        aborted = true;
      },
    });
    const { jobs } = await startJobs(tier, [stuck]);
    const id = await jobs.enqueue('stuck', {});
    expect(await eventually(async () => (await jobs.get('stuck', id!))?.state === 'failed', 10_000)).toBe(true);
    expect(aborted).toBe(true);
    expect(JSON.stringify((await jobs.get('stuck', id!))?.output)).toMatch(/exceeded/);
  });

  it(
    'counts runs, failures and durations in metrics, and health rejects once stopped',
    { timeout: 30_000 },
    async () => {
      const ok = defineJob('ok', { payload: Type.Object({}), handler: () => {} });
      const bad = defineJob('bad', {
        payload: Type.Object({}),
        retry: { limit: 0 },
        handler: () => {
          throw new Error('bad');
        },
      });
      const { jobs, registry } = await startJobs(tier, [ok, bad]);
      await expect(jobs.health()).resolves.toBeUndefined();
      await jobs.enqueue('ok', {});
      await jobs.enqueue('bad', {});
      expect(await eventually(async () => (await jobs.deadLetters('bad')).length === 1, 10_000)).toBe(true);
      await eventually(
        async () => (await registry.metrics()).includes('jobs_processed_total{queue="ok",outcome="completed"} 1'),
        5000,
      );
      const text = await registry.metrics();
      expect(text).toContain('jobs_processed_total{queue="ok",outcome="completed"} 1');
      expect(text).toContain('jobs_processed_total{queue="bad",outcome="failed"} 1');
      expect(text).toMatch(/jobs_duration_seconds_count\{queue="ok",outcome="completed"\} 1/);
      expect(text).toMatch(/jobs_start_latency_seconds_count\{queue="ok"\} 1/);
      expect(text).toMatch(/jobs_queue_depth\{queue="ok",state="queued"\} \d+/);
      const summary = await jobs.queues();
      expect(summary.map((queue) => queue.queue)).toEqual(['ok', 'bad']);
      await jobs.stop();
      await expect(jobs.health()).rejects.toThrow(/stopped/);
    },
  );
});
