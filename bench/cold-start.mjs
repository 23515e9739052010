#!/usr/bin/env node
// Cold start of the production blog without a database: spawn → first 200 on /health, median of
// --starts runs (default 5), one at a time. `npm run bench` measures the same start among others.
//
//   npx node bench/cold-start.mjs [--starts 5] [--json]
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { CACHE } from './lib/paths.mjs';
import { installCleanup } from './lib/proc.mjs';
import { STARTUPS } from './lib/scenarios.mjs';
import { measureStartup } from './lib/startup.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--starts');
const starts = at === -1 ? 5 : Number(args[at + 1]);
if (!Number.isInteger(starts) || starts < 1) throw new Error('--starts must be a positive integer');

installCleanup();
mkdirSync(CACHE, { recursive: true });
const problems = [];
const run = { sessionSecret: randomBytes(36).toString('base64url') };
const startup = STARTUPS.filter((s) => s.id === 'ours-no-db');
const { 'ours-no-db': result } = await measureStartup(startup, starts, run, problems);
if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ ...result, problems }, null, 2)}\n`);
else {
  process.stdout.write(
    `${result.label}: median ${result.median} ms to the first /health 200 (${result.samples.join(', ')} ms), idle RSS ${Math.round(result.rssIdle / 1e6)} MB\n`,
  );
  for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
}
process.exit(problems.length > 0 ? 1 : 0);
