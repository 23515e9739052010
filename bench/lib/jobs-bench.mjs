import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';

/** The background-jobs benchmark of the server package (packages/server/bench/jobs.mjs). */
const SCRIPT = join(ROOT, 'packages', 'server', 'bench', 'jobs.mjs');
const BUILT = join(ROOT, 'packages', 'server', 'dist', 'jobs', 'index.js');
const TIMEOUT_MS = 10 * 60_000;

/**
 * Runs the jobs benchmark on the tiers measured (PostgreSQL through `postgresUrl`, the server the
 * page benchmark uses), and resolves with its figures per tier, or why there are none: it is a
 * separate process, so its failure is reported, never the end of the page benchmark.
 */
export async function runJobsBench({ tiers, postgresUrl, log }) {
  const measured = tiers.filter((tier) => tier === 'embedded' || (tier === 'postgres' && postgresUrl));
  if (measured.length === 0) return { status: 'skipped', reason: 'no tier to measure' };
  if (!existsSync(BUILT)) return { status: 'failed', reason: `no build at ${BUILT}: npm run build` };
  log(`jobs benchmark: ${measured.join(' + ')}…`);
  const env = { ...process.env, ...(postgresUrl ? { DATABASE_URL: postgresUrl } : {}) };
  try {
    const stdout = await run([SCRIPT, '--tiers', measured.join(',')], env);
    return { status: 'measured', tiers: JSON.parse(stdout) };
  } catch (error) {
    return { status: 'failed', reason: error.message.slice(0, 2000) };
  }
}

/** The text report's section: one line per tier. */
export function renderJobsReport(jobs) {
  const out = ['', 'Background jobs (packages/server/bench/jobs.mjs, one instance)'];
  if (jobs.status !== 'measured') {
    out.push(`  ${jobs.status}: ${jobs.reason}`);
    return out.join('\n');
  }
  for (const tier of jobs.tiers) {
    const processed =
      typeof tier.processedPerSecond === 'number' ? `${tier.processedPerSecond} jobs/s` : tier.processedPerSecond;
    out.push(
      `  ${tier.tier.padEnd(9)} processed ${processed} (${tier.jobs} jobs, concurrency ${tier.concurrency}), ` +
        `enqueued ${tier.enqueuePerSecond} jobs/s, enqueue→start p50 ${tier.latencyP50Ms} ms, p99 ${tier.latencyP99Ms} ms ` +
        `(${tier.latencySamples} samples)`,
    );
  }
  return out.join('\n');
}

function run(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(stdout).toString());
      else
        reject(
          new Error(`jobs.mjs failed (${signal ?? `exit code ${code}`}): ${Buffer.concat(stderr).toString().trim()}`),
        );
    });
  });
}
