/**
 * A second instance in its own process, for the crash tests: it runs the `slow` job (a claim of
 * 2 s) and says on stdout when a run has started, then holds the job until it is killed.
 * DATABASE_URL names the shared PostgreSQL database. Imports the built package (npm run build).
 */
import { Type } from '@sinclair/typebox';
import { openDatabase } from '../../dist/db/index.js';
import { createJobs, defineJob } from '../../dist/jobs/index.js';

const database = await openDatabase({ url: process.env.DATABASE_URL });
const slow = defineJob('slow', {
  payload: Type.Object({ n: Type.Integer() }),
  timeoutMs: 2000,
  retry: { limit: 3 },
  handler: async (_payload, context) => {
    process.stdout.write(`started ${context.id}\n`);
    await new Promise(() => {});
  },
});
const jobs = createJobs({ database, jobs: [slow], pollIntervalMs: 500, superviseIntervalMs: 1000 });
await jobs.start();
process.stdout.write('ready\n');
