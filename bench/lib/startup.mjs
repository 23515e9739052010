import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CACHE } from './paths.mjs';
import { freePort, rssBytes, startServer } from './proc.mjs';
import { SERVERS, spawnSpec } from './servers.mjs';
import { median } from './stats.mjs';

/** The embedded database of the on-disk start-ups (never the one `npm start` uses in examples/blog). */
export const STARTUP_DATABASE_DIR = join(CACHE, 'startup-db');

/** How long a started server is left alone before its idle RSS is read: start-up work settles first. */
const SETTLE_MS = 500;

/**
 * Cold starts: every entry of `startups` once per pass, `starts` passes, one server at a time. Each
 * sample is spawn → first 200 on the ready path; idle RSS is read SETTLE_MS after that, then the
 * server is stopped. An entry whose server failed once is not started again.
 */
export async function measureStartup(startups, starts, run, problems) {
  const samples = Object.fromEntries(startups.map((s) => [s.id, { ms: [], rss: [] }]));
  const errors = {};
  for (let i = 0; i < starts; i += 1) {
    for (const startup of startups) {
      if (errors[startup.id]) continue;
      if (startup.disk === 'empty') rmSync(STARTUP_DATABASE_DIR, { recursive: true, force: true });
      if (startup.disk === 'existing' && !existsSync(join(STARTUP_DATABASE_DIR, 'PG_VERSION'))) {
        errors[startup.id] = 'no database on disk: list a first-run start before it';
        problems.push(`start-up of ${startup.id} skipped: ${errors[startup.id]}`);
        continue;
      }
      const env = startup.disk ? { DATABASE_DIR: STARTUP_DATABASE_DIR } : {};
      try {
        const handle = await startServer(spawnSpec(startup.server, await freePort(), run, env));
        samples[startup.id].ms.push(handle.readyMs);
        await sleep(SETTLE_MS);
        samples[startup.id].rss.push(rssBytes(handle.pid));
        await handle.stop();
      } catch (error) {
        errors[startup.id] = error.message.split('\n')[0];
        problems.push(`start-up of ${startup.id} failed: ${error.message}`);
      }
    }
  }
  rmSync(STARTUP_DATABASE_DIR, { recursive: true, force: true });
  return Object.fromEntries(
    startups.map((s) => [
      s.id,
      {
        label: s.label,
        tier: SERVERS[s.server].tier,
        median: median(samples[s.id].ms),
        samples: samples[s.id].ms,
        rssIdle: median(samples[s.id].rss),
        ...(errors[s.id] ? { error: errors[s.id] } : {}),
      },
    ]),
  );
}
