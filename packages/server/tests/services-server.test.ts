/**
 * Services in the server preset, on both tiers: started before the first request, injected into
 * route handlers, reported by /ready; on shutdown the job workers stop fetching at once, a
 * running job finishes, and one still running when the shutdown timeout runs out is handed back to
 * the queue for another instance.
 */
import { rmSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from '../src/create-server.js';
import type { Database } from '../src/db/open-database.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { defineJob } from '../src/jobs/define-job.js';
import { createServices, serviceOf } from '../src/services/service-registry.js';
import { fixtureApp, fixtureClientDir } from './fixtures/app.js';
import { PRODUCTION_ENV } from './support/test-server.js';
import { databaseTiers, eventually } from '@composable-svelte/testing';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function jobsFor(database: Database<Record<string, unknown>>, runs: string[], holdMs: () => number) {
  const work = defineJob('work', {
    payload: Type.Object({ label: Type.String() }),
    retry: { limit: 3 },
    handler: async (payload, context) => {
      runs.push(`start ${payload.label}`);
      await Promise.race([
        sleep(holdMs()),
        new Promise((resolve) => context.signal.addEventListener('abort', resolve)),
      ]);
      runs.push(`end ${payload.label}`);
    },
  });
  return createJobs({ database, jobs: [work], pollIntervalMs: 500, superviseIntervalMs: 1000 });
}

async function serverWith(database: Database<Record<string, unknown>>, jobs: ReturnType<typeof jobsFor>) {
  const clientDir = fixtureClientDir();
  disposers.push(async () => rmSync(clientDir, { recursive: true, force: true }));
  const services = createServices({ jobs: serviceOf(jobs) });
  const server = await createServer({
    app: fixtureApp({ signals: [] }),
    clientDir,
    env: { ...PRODUCTION_ENV, SHUTDOWN_TIMEOUT_MS: '3000' },
    database,
    services,
    routes: async (app) => {
      app.post<{ Body: { label: string } }>('/api/work', async (request) => {
        const queued = request.services.get('jobs') as typeof jobs;
        return { id: await queued.enqueue('work', { label: request.body.label }) };
      });
    },
  });
  disposers.push(() => server.close());
  return server;
}

describe.each(await databaseTiers())('services in the server on $name', (tier) => {
  it(
    'route handlers reach the services, /ready reports them, and shutdown lets a running job finish',
    { timeout: 30_000 },
    async () => {
      const { database, dispose } = await tier.fresh();
      disposers.push(dispose);
      const runs: string[] = [];
      const jobs = jobsFor(database, runs, () => 1000);
      const server = await serverWith(database, jobs);

      const ready = await server.inject({ method: 'GET', url: '/ready', remoteAddress: '127.0.0.1' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks.jobs).toMatchObject({ status: 'up' });

      const queued = await server.inject({
        method: 'POST',
        url: '/api/work',
        headers: { 'content-type': 'application/json', origin: 'https://example.test' },
        payload: { label: 'first' },
      });
      expect(queued.statusCode).toBe(200);
      expect(await eventually(() => runs.includes('start first'), 10_000)).toBe(true);

      const shutdown = server.shutdown();
      await sleep(50);
      // Enqueued after shutdown began: the draining worker no longer fetches it.
      const late = await jobs.enqueue('work', { label: 'late' });
      expect(late).not.toBeNull();
      await shutdown;
      expect(runs).toEqual(['start first', 'end first']);
    },
  );
});

describe.each((await databaseTiers()).filter((tier) => tier.name === 'postgres'))('shutdown on $name', (tier) => {
  it('a job still running when the shutdown timeout runs out goes back to the queue', { timeout: 30_000 }, async () => {
    const { database, url, dispose } = await tier.fresh();
    disposers.push(dispose);
    const runs: string[] = [];
    const jobs = jobsFor(database, runs, () => 60_000);
    const server = await serverWith(database, jobs);
    const id = await jobs.enqueue('work', { label: 'endless' });
    expect(await eventually(() => runs.includes('start endless'), 10_000)).toBe(true);
    const began = Date.now();
    await server.shutdown();
    expect(Date.now() - began).toBeLessThan(3000);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    disposers.push(() => client.end());
    const { rows } = await client.query<{ state: string; output: unknown }>(
      'select state, output from pgboss.job where id = $1',
      [id],
    );
    expect(rows[0]?.state).toBe('retry');
    expect(JSON.stringify(rows[0]?.output)).toContain('shut down');
  });
});
