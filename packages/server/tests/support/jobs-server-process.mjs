/**
 * A server process with jobs as a service, run the way an app runs (runServer: SIGTERM is a
 * graceful shutdown). Its `work` job says on stdout when it starts and when it finishes (1.5 s
 * later). No page is ever requested, so the app is the least createServer accepts. DATABASE_URL
 * names the shared PostgreSQL database. Imports the built package (npm run build).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { createServer, runServer } from '../../dist/index.js';
import { openDatabase } from '../../dist/db/index.js';
import { createJobs, defineJob } from '../../dist/jobs/index.js';
import { createServices, serviceOf } from '../../dist/services/index.js';

const clientDir = mkdtempSync(join(tmpdir(), 'cs-jobs-client-'));
process.on('exit', () => rmSync(clientDir, { recursive: true, force: true }));
mkdirSync(join(clientDir, '.vite'), { recursive: true });
mkdirSync(join(clientDir, 'assets'), { recursive: true });
writeFileSync(join(clientDir, 'assets', 'entry.js'), '');
writeFileSync(
  join(clientDir, '.vite', 'manifest.json'),
  JSON.stringify({ 'src/entry.ts': { file: 'assets/entry.js', isEntry: true } }),
);

const database = await openDatabase({ url: process.env.DATABASE_URL });
const work = defineJob('work', {
  payload: Type.Object({ n: Type.Integer() }),
  handler: async (_payload, context) => {
    process.stdout.write(`started ${context.id}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.stdout.write(`finished ${context.id}\n`);
  },
});
const jobs = createJobs({ database, jobs: [work], pollIntervalMs: 500 });
const server = await createServer({
  app: {
    component: () => {},
    reducer: (state) => [state, []],
    router: { parse: () => ({ ok: false }), serialize: () => '/' },
    clientEntry: 'src/entry.ts',
    load: () => ({ state: {}, actions: [] }),
    dependencies: () => ({}),
    errorState: () => ({}),
  },
  clientDir,
  database,
  services: createServices({ jobs: serviceOf(jobs) }),
});
await runServer(server);
process.stdout.write('ready\n');
