#!/usr/bin/env node
// Background jobs through one instance, on each database tier: jobs/s processed (a backlog drained
// by the workers), jobs/s enqueued, and enqueue-to-start latency p50/p99 of single jobs on idle
// workers. Uses the built package: `npm run build` first, then
//   npx node packages/server/bench/jobs.mjs [--jobs 2000] [--concurrency 8] [--samples 200] [--tiers embedded,postgres]
// DATABASE_URL names the PostgreSQL server (a scratch database is created there and dropped).
// Each phase is bounded by --max-seconds (default 60): a phase that runs over is reported as such.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Type } from '@sinclair/typebox';
import pg from 'pg';
import { openDatabase } from '../dist/db/index.js';
import { createJobs, defineJob } from '../dist/jobs/index.js';

const { values: args } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '8' },
    samples: { type: 'string', default: '200' },
    tiers: { type: 'string', default: 'embedded,postgres' },
    'max-seconds': { type: 'string', default: '60' },
  },
});
const JOBS = Number(args.jobs);
const CONCURRENCY = Number(args.concurrency);
const SAMPLES = Number(args.samples);
const MAX_MS = Number(args['max-seconds']) * 1000;
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const log = (message) => process.stderr.write(`${message}\n`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function until(condition, deadline) {
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}

async function openTier(tier) {
  if (tier === 'embedded') {
    const database = await openDatabase({});
    return { database, dispose: () => database.close() };
  }
  const name = `cs_bench_jobs_${randomBytes(4).toString('hex')}`;
  const control = new pg.Client({ connectionString: DATABASE_URL });
  await control.connect();
  await control.query(`create database ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.href, pool: { max: 10 } });
  return {
    database,
    async dispose() {
      await database.close();
      await control.query(`drop database if exists ${name} with (force)`);
      await control.end();
    },
  };
}

async function measureTier(tier) {
  const { database, dispose } = await openTier(tier);
  let handled = 0;
  const started = new Map();
  const noop = defineJob('noop', {
    payload: Type.Object({ n: Type.Integer() }),
    concurrency: CONCURRENCY,
    retry: { limit: 0 },
    deadLetter: false,
    handler: (payload) => {
      started.set(payload.n, performance.now());
      handled++;
    },
  });
  const jobs = createJobs({ database, jobs: [noop], workers: false, pollIntervalMs: 1000 });
  try {
    await jobs.start();

    // 1. Enqueue a backlog (8 enqueues in flight), then let the workers drain it.
    const enqueueStart = performance.now();
    for (let n = 0; n < JOBS; n += 8) {
      await Promise.all(Array.from({ length: Math.min(8, JOBS - n) }, (_, i) => jobs.enqueue('noop', { n: n + i })));
    }
    const enqueueMs = performance.now() - enqueueStart;
    const drainStart = performance.now();
    await jobs.startWorkers();
    const drained = await until(() => handled >= JOBS, Date.now() + MAX_MS);
    const drainMs = performance.now() - drainStart;

    // 2. Single jobs on idle workers: from the enqueue call to the handler starting.
    const latencies = [];
    const latencyDeadline = Date.now() + MAX_MS;
    for (let i = 0; i < SAMPLES && Date.now() < latencyDeadline; i++) {
      const n = JOBS + i;
      const sent = performance.now();
      await jobs.enqueue('noop', { n });
      if (!(await until(() => started.has(n), latencyDeadline))) break;
      latencies.push(started.get(n) - sent);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    latencies.sort((a, b) => a - b);
    return {
      tier,
      jobs: JOBS,
      concurrency: CONCURRENCY,
      enqueuePerSecond: round(JOBS / (enqueueMs / 1000)),
      processedPerSecond: drained ? round(JOBS / (drainMs / 1000)) : `over ${MAX_MS / 1000} s (${handled} done)`,
      latencySamples: latencies.length,
      latencyP50Ms: latencies.length ? round(percentile(latencies, 50)) : null,
      latencyP99Ms: latencies.length ? round(percentile(latencies, 99)) : null,
    };
  } finally {
    await jobs.stop({ timeoutMs: 2000 });
    await dispose();
  }
}

const results = [];
for (const tier of args.tiers.split(',')) {
  log(`jobs bench: ${tier}…`);
  results.push(await measureTier(tier));
}
for (const result of results) {
  log(
    `${result.tier}: ${result.processedPerSecond} jobs/s processed (concurrency ${result.concurrency}), ` +
      `${result.enqueuePerSecond} jobs/s enqueued, start latency p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms ` +
      `(${result.latencySamples} samples)`,
  );
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
