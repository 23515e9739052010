#!/usr/bin/env node
// Composable Svelte benchmark: our blog against SvelteKit, a minimal-SSR ceiling and raw Fastify.
// See bench/README.md. `node bench/run.mjs --help` for the options.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs, USAGE } from './lib/args.mjs';
import { pageWeight } from './lib/assets.mjs';
import { ensureBlogBuilt, ensureKitBuilt } from './lib/build.mjs';
import { compareWithCeiling, verifiedTiers } from './lib/ceiling-html.mjs';
import { evaluate } from './lib/checks.mjs';
import { clientJsOrigins } from './lib/client-js-origins.mjs';
import { checkKnobs } from './lib/knobs.mjs';
import { measure, summarize } from './lib/load.mjs';
import { compareTiers } from './lib/parity.mjs';
import { BLOG_ENTRY, CACHE, KIT_BUILD_ENTRY, RESULTS, ROOT } from './lib/paths.mjs';
import { BENCH_DATABASE, prepareBenchDatabase, redact } from './lib/postgres.mjs';
import { freePort, installCleanup, rssBytes, startServer } from './lib/proc.mjs';
import { runLiveBench } from './lib/live-bench.mjs';
import { liveTable } from './lib/live-report.mjs';
import { renderReport } from './lib/report.mjs';
import { inTier, SCENARIOS, STARTUPS } from './lib/scenarios.mjs';
import { SERVERS, spawnSpec, TIER_LABELS, TIERS } from './lib/servers.mjs';
import { measureStartup } from './lib/startup.mjs';
import { renderJobsReport, runJobsBench } from './lib/jobs-bench.mjs';
import { round } from './lib/stats.mjs';
import { renderSvg } from './lib/svg.mjs';

const log = (message) => process.stderr.write(`${message}\n`);

/** Impossible to miss in a scrolling log: a skipped tier changes what the figures mean. */
const shout = (message) => log(`\n${'!'.repeat(100)}\n!! ${message}\n${'!'.repeat(100)}\n`);

/** The most the load runs of one bench may add up to. */
const MAX_LOAD_MINUTES = 30;

/** Minutes of load for `count` scenarios: warm-up, then every round, with the pause between runs. */
const loadMinutes = (count, { rounds, duration, warmup }) => (count * (rounds * (duration + 0.25) + warmup)) / 60;

const tierOf = (scenario) => SERVERS[scenario.server].tier;

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/**
 * The PostgreSQL tier needs its database: dropped, created, migrated and seeded. When that fails
 * (no server, refused), the tier is dropped from the run with a message nobody can miss.
 */
async function preparePostgres(options, tiers, problems) {
  if (!options.tiers.includes('postgres')) return { status: 'not requested' };
  log(
    `postgres tier: recreating database ${BENCH_DATABASE} on ${redact(options.pgAdminUrl)}, migrating and seeding it…`,
  );
  try {
    const url = await prepareBenchDatabase(options.pgAdminUrl);
    return { status: 'measured', url, database: redact(url) };
  } catch (error) {
    const reason = error.message.split('\n')[0];
    tiers.splice(tiers.indexOf('postgres'), 1);
    const rest = tiers.length > 0 ? `Only the ${tiers.join(' and ')} tier is measured.` : 'No tier is left to measure.';
    shout(`PostgreSQL tier SKIPPED: ${reason}\n!! (server ${redact(options.pgAdminUrl)}; see --pg-admin-url). ${rest}`);
    problems.push(`PostgreSQL tier skipped: ${reason}`);
    return { status: 'skipped', reason };
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.list) {
    for (const s of SCENARIOS) {
      process.stdout.write(`${s.id.padEnd(22)} ${(tierOf(s) ?? 'any').padEnd(9)} ${s.label.replace(/\s+/g, ' ')}\n`);
    }
    return;
  }
  const unknown = (options.only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (see --list)`);
  const outOfTier = SCENARIOS.filter(
    (s) => options.only?.includes(s.id) && tierOf(s) !== null && !options.tiers.includes(tierOf(s)),
  );
  if (outOfTier.length > 0) {
    throw new Error(`--only names scenario(s) of a tier --tier leaves out: ${outOfTier.map((s) => s.id).join(', ')}`);
  }

  // Every load run stops by itself; this bounds their sum too (start-ups and builds come on top).
  const requested = SCENARIOS.filter(
    (s) => (tierOf(s) === null || options.tiers.includes(tierOf(s))) && (!options.only || options.only.includes(s.id)),
  );
  if (loadMinutes(requested.length, options) > MAX_LOAD_MINUTES) {
    throw new Error(
      `${requested.length} scenarios × (${options.rounds} rounds × ${options.duration} s + ${options.warmup} s warm-up) is ${Math.round(loadMinutes(requested.length, options))} min of load, more than ${MAX_LOAD_MINUTES}: use fewer --rounds, a shorter --duration, --tier or --only`,
    );
  }

  installCleanup(log);
  mkdirSync(CACHE, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  const problems = [];
  const began = performance.now();

  // Others may be mid-edit: when a rebuild fails but an earlier build exists, measure that one and say so.
  for (const [what, ensure, fallback] of [
    ['blog', ensureBlogBuilt, BLOG_ENTRY],
    ['SvelteKit peer', ensureKitBuilt, KIT_BUILD_ENTRY],
  ]) {
    try {
      await ensure(options.build, log);
    } catch (error) {
      if (options.build === 'never' || !existsSync(fallback)) throw error;
      problems.push(`${what} rebuild failed, measured the previous build: ${error.message.split('\n')[0]}`);
      log(`WARNING: ${what} rebuild failed; using the previous build`);
    }
  }

  // The tiers measured: those asked for, less PostgreSQL when its server cannot be used.
  const tiers = TIERS.filter((tier) => options.tiers.includes(tier));
  const postgres = await preparePostgres(options, tiers, problems);
  if (tiers.length === 0) throw new Error('nothing left to measure: the only tier asked for was skipped');
  const inMeasuredTier = (server) => SERVERS[server].tier === null || tiers.includes(SERVERS[server].tier);
  const selected = SCENARIOS.filter((s) => inMeasuredTier(s.server) && (!options.only || options.only.includes(s.id)));
  log(
    `${selected.length} scenarios in ${tiers.join(' + ')}: about ${Math.ceil(loadMinutes(selected.length, options))} min of load after the start-ups`,
  );
  const run = {
    sessionSecret: randomBytes(36).toString('base64url'),
    postgresUrl: postgres.url,
    htmlFile: join(CACHE, 'home.html'),
    headersFile: join(CACHE, 'home-headers.json'),
    publicUrls: {},
  };

  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown',
    loadavgBefore: loadavg().map((v) => round(v, 2)),
    loadavgAfter: null,
    tiers: {
      embedded: options.tiers.includes('embedded')
        ? { status: 'measured', database: TIER_LABELS.embedded }
        : { status: 'not requested' },
      postgres:
        postgres.status === 'measured'
          ? { status: 'measured', database: `${postgres.database} — ${TIER_LABELS.postgres}` }
          : postgres,
    },
    options: {
      rounds: options.rounds,
      duration: options.duration,
      connections: options.connections,
      warmup: options.warmup,
      starts: options.starts,
      quick: options.quick,
      tiers: options.tiers,
    },
  };

  // Raw Fastify serves ours' `/` byte for byte: the uncached server of the first tier gives it.
  const source = inTier(tiers[0], 'ours');
  const needed = new Set(selected.map((s) => s.server));
  needed.add(source);
  // A minimal-SSR ceiling is checked against ours of its tier, and prints ours' public URL.
  for (const tier of tiers) if (needed.has(inTier(tier, 'ceiling-ssr'))) needed.add(inTier(tier, 'ours'));
  const handles = {};
  const servers = {};
  const startOne = async (id) => {
    try {
      const handle = await startServer(spawnSpec(id, await freePort(), run));
      handles[id] = handle;
      const { tier } = SERVERS[id];
      if (tier && id === inTier(tier, 'ours')) run.publicUrls[tier] = `http://localhost:${handle.port}`;
      servers[id] = {
        label: SERVERS[id].label,
        tier: SERVERS[id].tier,
        knobs: Object.entries(SERVERS[id].knobs)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        pid: handle.pid,
        readyMs: handle.readyMs,
        rssIdle: null,
        rssAfter: null,
      };
    } catch (error) {
      servers[id] = { label: SERVERS[id].label, tier: SERVERS[id].tier, knobs: '', error: 'failed to start' };
      problems.push(`server ${id} did not start: ${error.message}`);
    }
  };
  const captureHome = async () => {
    // The load asks without Accept-Encoding, so the identity answer's headers are the ones to copy
    // (fetch would otherwise ask for gzip and the copy would claim an encoding its bytes lack).
    const asked = { accept: 'text/html', 'accept-encoding': 'identity' };
    const home = await fetch(`${handles[source].url}/`, { headers: asked });
    writeFileSync(run.htmlFile, Buffer.from(await home.arrayBuffer()));
    // Raw Fastify sends the headers of a hit on ours' page cache (the second request: the first may be its miss).
    const cached = handles[inTier(tiers[0], 'ours-cached')] ?? handles[source];
    let hit;
    for (let i = 0; i < 2; i++) {
      hit = await fetch(`${cached.url}/`, { headers: asked });
      await hit.arrayBuffer();
    }
    writeFileSync(run.headersFile, JSON.stringify(Object.fromEntries(hit.headers), null, 2));
  };

  const startups = STARTUPS.filter((s) => inMeasuredTier(s.server));
  log(`start-up times: ${options.starts} start(s) each of ${startups.map((s) => s.id).join(', ')}…`);
  // Raw Fastify's start needs the HTML file: take it from a first start of ours.
  await startOne(source);
  if (!handles[source]) throw new Error(`our blog does not start; see problems:\n${problems.join('\n')}`);
  await captureHome();
  await handles[source].stop();
  delete handles[source];
  const startup = await measureStartup(startups, options.starts, run, problems);

  log('starting the servers…');
  // In SERVERS' order: ours of a tier starts before its minimal-SSR ceiling, which needs ours' URL.
  for (const id of Object.keys(SERVERS)) if (needed.has(id)) await startOne(id);
  // Raw Fastify answers the exact bytes the running ours answers (its canonical URL has its port).
  if (handles[source] && handles['raw-fastify']) {
    await captureHome();
    await handles['raw-fastify'].stop();
    delete handles['raw-fastify'];
    await startOne('raw-fastify');
  }
  if (tiers.some((tier) => handles[inTier(tier, 'ceiling-ssr')])) log('minimal-SSR ceiling: does it send ours’ HTML?');
  const ceilingHtml = await compareWithCeiling(handles, tiers);
  for (const c of ceilingHtml) {
    if (c.status !== 'same') {
      problems.push(
        `[${c.tier}] minimal-SSR ceiling ${c.path ?? ''}: ${c.status === 'DIFFERENT' ? 'its HTML differs from ours' : 'not compared with ours'}, so its ratios are FLAGGED: ${c.evidence}`,
      );
    }
  }
  for (const [id, handle] of Object.entries(handles)) servers[id].rssIdle = rssBytes(handle.pid);

  log('page weights…');
  // The pages are the same in both tiers (compareTiers checks the data), so they are weighed once.
  const sizes = {};
  for (const [key, server, path, label] of [
    ['ours-home', source, '/', 'ours  /'],
    ['ours-post', source, '/posts/1', 'ours  /posts/1'],
    ['kit-home', inTier(tiers[0], 'sveltekit'), '/', 'SvelteKit  /'],
    ['kit-post', inTier(tiers[0], 'sveltekit'), '/posts/1', 'SvelteKit  /posts/1'],
  ]) {
    if (!handles[server]) continue;
    try {
      sizes[key] = { label, ...(await pageWeight(handles[server].url + path)) };
    } catch (error) {
      sizes[key] = { label, error: error.message };
      problems.push(`page weight of ${label}: ${error.message}`);
    }
  }
  let clientJs = null;
  if (sizes['ours-home']?.js) {
    try {
      clientJs = await clientJsOrigins(sizes['ours-home'].js.list, log);
      sizes['ours-home'].js.origins = { raw: clientJs.raw, gzip: clientJs.gzip };
      problems.push(...clientJs.problems);
    } catch (error) {
      problems.push(`client JS split: ${error.message.split('\n')[0]}`);
    }
  }
  const parity = await compareTiers(handles);
  for (const p of parity)
    if (p.status !== 'same') problems.push(`tiers serve different data? ${p.what}: ${p.status}, ${p.evidence}`);

  const scenarios = Object.fromEntries(
    selected.map((s) => [
      s.id,
      {
        ...s,
        tier: tierOf(s),
        url: handles[s.server] ? handles[s.server].url + s.path : null,
        rounds: [],
        summary: null,
      },
    ]),
  );
  const runnable = Object.values(scenarios).filter((s) => s.url);
  for (const s of Object.values(scenarios)) if (!s.url) s.error = `server ${s.server} did not start`;
  const title = (s) => `${s.tier ? `[${s.tier}] ` : ''}${s.label.replace(/\s+/g, ' ')}`;

  const load = { connections: options.connections };
  if (options.warmup > 0) {
    log(`warm-up: ${options.warmup} s per scenario…`);
    for (const s of runnable) {
      const warm = await measure(s.url, { ...load, duration: options.warmup });
      s.warmup = { rps: Math.round(warm.rps), non2xx: warm.non2xx, errors: warm.errors };
      await sleep(250);
    }
  }

  // Rounds are interleaved (every scenario of every tier once per round, in a rotated order), so noise
  // from other work on the box spreads over all scenarios instead of landing on one.
  for (let round = 0; round < options.rounds; round += 1) {
    const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]);
    for (const s of order) {
      log(`round ${round + 1}/${options.rounds}: ${title(s)} (${options.duration} s)`);
      const exited = handles[s.server].exited();
      if (exited) {
        s.error = `server ${s.server} exited (code ${exited.code}, signal ${exited.signal})`;
        continue;
      }
      s.rounds.push(await measure(s.url, { ...load, duration: options.duration }));
      await sleep(250);
    }
  }
  for (const s of runnable) s.summary = summarize(s.rounds);
  for (const [id, handle] of Object.entries(handles)) servers[id].rssAfter = rssBytes(handle.pid);

  const knobs = await checkKnobs(handles, scenarios, tiers);
  for (const [id, handle] of Object.entries(handles)) {
    const exited = handle.exited();
    if (exited)
      problems.push(
        `server ${id} exited during the run (code ${exited.code}, signal ${exited.signal}): ${handle.output().slice(-1500)}`,
      );
  }
  await Promise.all(Object.values(handles).map((h) => h.stop()));

  // After the HTTP servers are gone, so neither run loads the other.
  let live = { status: 'not requested (--no-live)' };
  if (options.live) {
    log('live channels: idle sockets and fan-out (bench/live.mjs)…');
    live = await runLiveBench(options, log);
    if (live.status === 'failed') problems.push(`live benchmark: ${live.reason}`);
    for (const problem of live.problems ?? []) problems.push(`live benchmark: ${problem}`);
  }
  meta.loadavgAfter = loadavg().map((v) => round(v, 2));
  meta.seconds = round((performance.now() - began) / 1000, 1);

  for (const s of Object.values(scenarios)) {
    if (s.summary && s.summary.non2xx > 0) {
      const codes = {};
      for (const r of s.rounds)
        for (const [k, v] of Object.entries(r.statusCodes)) if (k !== '2xx') codes[k] = (codes[k] ?? 0) + v;
      problems.push(`${s.id}: ${s.summary.non2xx} non-2xx responses ${JSON.stringify(codes)}`);
    }
  }

  // After the page load, on a quiet box: the jobs benchmark is its own process.
  const jobs = options.jobs
    ? await runJobsBench({ tiers, postgresUrl: postgres.status === 'measured' ? postgres.url : null, log })
    : { status: 'skipped', reason: '--no-jobs' };
  if (jobs.status === 'failed') problems.push(`jobs benchmark: ${jobs.reason}`);

  const checks = evaluate({ scenarios, sizes, tiers, startup, verifiedTiers: verifiedTiers(ceilingHtml), clientJs });
  const results = {
    meta,
    checks: checks.map((c) => ({ ...c, value: typeof c.value === 'number' ? round(c.value, 4) : c.value })),
    scenarios: Object.fromEntries(
      Object.values(scenarios).map((s) => [
        s.id,
        {
          label: s.label.replace(/\s+/g, ' '),
          tier: s.tier,
          server: s.server,
          path: s.path,
          summary: s.summary && { ...s.summary, rps: round(s.summary.rps, 1) },
          warmup: s.warmup ?? null,
          rounds: s.rounds.map((r) => ({ ...r, rps: round(r.rps, 1) })),
          ...(s.error ? { error: s.error } : {}),
        },
      ]),
    ),
    servers,
    startup,
    sizes,
    ceilingHtml,
    parity,
    knobs,
    jobs,
    live,
    problems,
  };

  const liveText =
    live.status === 'measured' ? `Live channels\n${liveTable(live)}` : `Live channels: ${live.reason ?? live.status}\n`;
  const report = `${renderReport({ ...results, scenarios })}\n${renderJobsReport(jobs)}\n${liveText}`;
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'ratios.svg'), renderSvg(checks, meta));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    log(`\n${report}`);
  } else {
    process.stdout.write(`\n${report}\n`);
  }
  if (meta.tiers.postgres.status === 'skipped') shout(`PostgreSQL tier SKIPPED: ${meta.tiers.postgres.reason}`);
  log(`\nwrote bench/results/latest.json and bench/results/ratios.svg (${meta.seconds} s)`);
}

main().catch((error) => {
  log(`bench failed: ${error?.stack ?? error}`);
  // The 'exit' handler kills whatever is still running.
  process.exit(1);
});
