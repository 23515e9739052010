#!/usr/bin/env node
// Composable Svelte benchmark: our blog against SvelteKit and a raw-Fastify ceiling.
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
import { evaluate } from './lib/checks.mjs';
import { measure, summarize } from './lib/load.mjs';
import { BLOG_ENTRY, CACHE, KIT, KIT_BUILD_ENTRY, RAW_FASTIFY, RESULTS, ROOT } from './lib/paths.mjs';
import { baseEnv, freePort, installCleanup, rssBytes, startServer } from './lib/proc.mjs';
import { renderReport } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';
import { renderSvg } from './lib/svg.mjs';

const log = (message) => process.stderr.write(`${message}\n`);

const SESSION_SECRET = randomBytes(36).toString('base64url');
const HTML_FILE = join(CACHE, 'home.html');

/** Our blog's production environment; each server below adds its knobs. */
const oursEnv = (port, knobs) =>
  baseEnv({
    NODE_ENV: 'production',
    SESSION_SECRET,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Several of ours run at once: each its own embedded database (started from the build's template).
    DATABASE_DIR: 'memory://',
    ...knobs,
  });

/** The servers. `knobs` are the variables that distinguish them (shown in the report). */
const SERVERS = {
  ours: {
    label: 'ours (production preset, uncached)',
    knobs: { RATE_LIMIT_ENABLED: 'false', CACHE_ENABLED: 'false' },
  },
  'ours-cached': {
    label: 'ours (production preset, page cache)',
    knobs: { RATE_LIMIT_ENABLED: 'false', CACHE_ENABLED: 'true' },
  },
  'ours-preset-off': {
    label: 'ours (PRESET=off, uncached)',
    knobs: { PRESET: 'off', RATE_LIMIT_ENABLED: 'false', CACHE_ENABLED: 'false' },
  },
  'ours-ratelimit': {
    label: 'ours (preset, uncached, limiter on, never reached)',
    knobs: {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      CACHE_ENABLED: 'false',
    },
  },
  sveltekit: { label: 'SvelteKit 2 + adapter-node', knobs: {} },
  ceiling: { label: 'raw Fastify (constant HTML)', knobs: {} },
};

/** How to spawn each server on `port`. */
function spawnSpec(id, port) {
  const server = SERVERS[id];
  if (id === 'sveltekit') {
    return {
      name: id,
      args: ['build'],
      cwd: KIT,
      port,
      // ORIGIN makes SvelteKit's url.origin (the canonical link) match ours, http://localhost:<port>.
      env: baseEnv({
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        ORIGIN: `http://localhost:${port}`,
      }),
      readyPath: '/',
    };
  }
  if (id === 'ceiling') {
    return {
      name: id,
      args: [RAW_FASTIFY],
      cwd: CACHE,
      port,
      env: baseEnv({ NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', HTML_FILE }),
    };
  }
  // cwd is a directory without a .env file, so only the variables given here apply.
  return { name: id, args: [BLOG_ENTRY], cwd: CACHE, port, env: oursEnv(port, server.knobs) };
}

/** What is measured: a server and a path. The order here is the order of the table. */
const SCENARIOS = [
  { id: 'ours-home', server: 'ours', path: '/', label: 'ours  /          uncached' },
  { id: 'ours-post', server: 'ours', path: '/posts/1', label: 'ours  /posts/1   uncached' },
  { id: 'ours-api', server: 'ours', path: '/api/posts', label: 'ours  /api/posts' },
  { id: 'ours-home-cached', server: 'ours-cached', path: '/', label: 'ours  /          cached' },
  { id: 'ours-home-preset-off', server: 'ours-preset-off', path: '/', label: 'ours  /          PRESET=off, uncached' },
  { id: 'ours-home-ratelimit', server: 'ours-ratelimit', path: '/', label: 'ours  /          rate limiter on (info)' },
  { id: 'kit-home', server: 'sveltekit', path: '/', label: 'SvelteKit  /' },
  { id: 'kit-post', server: 'sveltekit', path: '/posts/1', label: 'SvelteKit  /posts/1' },
  { id: 'ceiling-home', server: 'ceiling', path: '/', label: 'raw Fastify  / (ceiling)' },
];

/** Start-up time: these servers are started `starts` times each, one after another, and stopped. */
const STARTUP = ['ours', 'sveltekit', 'ceiling'];

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

async function headersOf(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'text/html' } });
  await response.arrayBuffer();
  const headers = Object.fromEntries(response.headers);
  return { status: response.status, headers };
}

/** Did the server honour the knobs it was started with? Judged from headers and, for the cache, speed. */
async function checkKnobs(handles, scenarios) {
  const knobs = [];
  const get = async (id, path = '/') => (handles[id] ? headersOf(handles[id].url + path).catch(() => null) : null);
  const [ours, oursAgain, cached, cachedAgain, presetOff] = [
    await get('ours'),
    await get('ours'),
    await get('ours-cached'),
    await get('ours-cached'),
    await get('ours-preset-off'),
  ];
  const has = (response, name) => response && Object.hasOwn(response.headers, name);

  // The default limit is 300 requests a minute per client: any longer run from one client would see 4xx.
  const oursRuns = Object.values(scenarios).filter((sc) => sc.server === 'ours' && sc.summary);
  if (oursRuns.length > 0) {
    const requests = oursRuns.reduce((t, sc) => t + sc.summary.requests, 0);
    const rejected = oursRuns.reduce((t, sc) => t + sc.rounds.reduce((u, r) => u + (r.statusCodes['4xx'] ?? 0), 0), 0);
    knobs.push({
      name: 'RATE_LIMIT_ENABLED=false',
      status: rejected > 0 ? 'NOT HONOURED' : requests > 300 ? 'ok' : 'unclear',
      evidence: `${requests.toLocaleString('en-US')} requests from one client, ${rejected} answered 4xx (the default limit is 300 a minute)`,
    });
  }
  if (ours && presetOff) {
    const onHeaders = Object.keys(ours.headers).length;
    const offHeaders = Object.keys(presetOff.headers).length;
    const csp = has(presetOff, 'content-security-policy');
    knobs.push({
      name: 'PRESET=off',
      status: csp ? 'NOT HONOURED' : 'ok',
      evidence: `${offHeaders} response headers vs ${onHeaders} with the preset; Content-Security-Policy ${csp ? 'still sent' : 'gone'}${has(presetOff, 'x-request-id') ? '; x-request-id still sent' : ''}`,
    });
  }
  if (ours && cached) {
    const interesting = (r) =>
      Object.fromEntries(
        Object.entries(r?.headers ?? {}).filter(([k]) =>
          /^(age|etag|cache-control|cache-status|x-cache.*|last-modified)$/i.test(k),
        ),
      );
    const before = JSON.stringify(interesting(cached));
    const after = JSON.stringify(interesting(cachedAgain));
    const uncachedCacheHeaders = JSON.stringify({ ...interesting(ours), ...interesting(oursAgain) });
    const speedup =
      scenarios['ours-home-cached']?.summary && scenarios['ours-home']?.summary
        ? scenarios['ours-home-cached'].summary.rps / scenarios['ours-home'].summary.rps
        : null;
    const fast = speedup !== null && speedup >= 1.5;
    knobs.push({
      name: 'CACHE_ENABLED=true',
      status: speedup === null ? 'unclear' : fast ? 'ok' : 'NOT VISIBLE',
      evidence: `cached / is ${speedup === null ? '?' : `${speedup.toFixed(2)}×`} the uncached req/s; cache headers first ${before}, second ${after}, uncached ${uncachedCacheHeaders}`,
    });
  }
  return knobs;
}

async function measureStartup(starts, problems) {
  const samples = Object.fromEntries(STARTUP.map((id) => [id, []]));
  const errors = {};
  for (let i = 0; i < starts; i += 1) {
    for (const id of STARTUP) {
      if (errors[id]) continue;
      try {
        const handle = await startServer(spawnSpec(id, await freePort()));
        samples[id].push(handle.readyMs);
        await handle.stop();
      } catch (error) {
        errors[id] = error.message.split('\n')[0];
        problems.push(`start-up of ${id} failed: ${error.message}`);
      }
    }
  }
  return Object.fromEntries(
    STARTUP.map((id) => [
      id,
      {
        label: SERVERS[id].label,
        median: median(samples[id]),
        samples: samples[id],
        ...(errors[id] ? { error: errors[id] } : {}),
      },
    ]),
  );
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.id.padEnd(22)} ${s.label.replace(/\s+/g, ' ')}\n`);
    return;
  }
  const selected = options.only ? SCENARIOS.filter((s) => options.only.includes(s.id)) : SCENARIOS;
  const unknown = (options.only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (see --list)`);

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

  const meta = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown',
    loadavgBefore: loadavg().map((v) => round(v, 2)),
    loadavgAfter: null,
    options: {
      rounds: options.rounds,
      duration: options.duration,
      connections: options.connections,
      warmup: options.warmup,
      starts: options.starts,
      quick: options.quick,
    },
  };

  // The ceiling serves our `/` byte for byte, so a copy of it is needed before anything else starts.
  const needed = new Set(selected.map((s) => s.server));
  needed.add('ours');
  const handles = {};
  const servers = {};
  const startOne = async (id) => {
    try {
      const handle = await startServer(spawnSpec(id, await freePort()));
      handles[id] = handle;
      servers[id] = {
        label: SERVERS[id].label,
        knobs: Object.entries(SERVERS[id].knobs)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        pid: handle.pid,
        readyMs: handle.readyMs,
        rssIdle: null,
        rssAfter: null,
      };
    } catch (error) {
      servers[id] = { label: SERVERS[id].label, knobs: '', error: 'failed to start' };
      problems.push(`server ${id} did not start: ${error.message}`);
    }
  };

  log(`start-up times: ${options.starts} start(s) each of ${STARTUP.join(', ')}…`);
  // The ceiling's start needs the HTML file: take it from a first start of ours.
  await startOne('ours');
  if (!handles.ours) throw new Error(`our blog does not start; see problems:\n${problems.join('\n')}`);
  const home = await fetch(`${handles.ours.url}/`, { headers: { accept: 'text/html' } });
  writeFileSync(HTML_FILE, Buffer.from(await home.arrayBuffer()));
  await handles.ours.stop();
  delete handles.ours;
  const startup = await measureStartup(options.starts, problems);

  log('starting the servers…');
  for (const id of Object.keys(SERVERS)) if (needed.has(id)) await startOne(id);
  // The ceiling answers the exact bytes the running `ours` answers (its canonical URL has its port).
  if (handles.ours && handles.ceiling) {
    const fresh = await fetch(`${handles.ours.url}/`, { headers: { accept: 'text/html' } });
    writeFileSync(HTML_FILE, Buffer.from(await fresh.arrayBuffer()));
    await handles.ceiling.stop();
    delete handles.ceiling;
    await startOne('ceiling');
  }
  for (const [id, handle] of Object.entries(handles)) servers[id].rssIdle = rssBytes(handle.pid);

  log('page weights…');
  const sizes = {};
  for (const [key, server, path, label] of [
    ['ours-home', 'ours', '/', 'ours  /'],
    ['ours-post', 'ours', '/posts/1', 'ours  /posts/1'],
    ['kit-home', 'sveltekit', '/', 'SvelteKit  /'],
    ['kit-post', 'sveltekit', '/posts/1', 'SvelteKit  /posts/1'],
  ]) {
    if (!handles[server]) continue;
    try {
      sizes[key] = { label, ...(await pageWeight(handles[server].url + path)) };
    } catch (error) {
      sizes[key] = { label, error: error.message };
      problems.push(`page weight of ${label}: ${error.message}`);
    }
  }

  const scenarios = Object.fromEntries(
    selected.map((s) => [
      s.id,
      { ...s, url: handles[s.server] ? handles[s.server].url + s.path : null, rounds: [], summary: null },
    ]),
  );
  const runnable = Object.values(scenarios).filter((s) => s.url);
  for (const s of Object.values(scenarios)) if (!s.url) s.error = `server ${s.server} did not start`;

  const load = { connections: options.connections };
  if (options.warmup > 0) {
    log(`warm-up: ${options.warmup} s per scenario…`);
    for (const s of runnable) {
      const warm = await measure(s.url, { ...load, duration: options.warmup });
      s.warmup = { rps: Math.round(warm.rps), non2xx: warm.non2xx, errors: warm.errors };
      await sleep(250);
    }
  }

  // Rounds are interleaved (every scenario once per round, in a rotated order), so noise from other
  // work on the box spreads over all scenarios instead of landing on one.
  for (let round = 0; round < options.rounds; round += 1) {
    const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]);
    for (const s of order) {
      log(`round ${round + 1}/${options.rounds}: ${s.label.replace(/\s+/g, ' ')} (${options.duration} s)`);
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

  const knobs = await checkKnobs(handles, scenarios);
  for (const [id, handle] of Object.entries(handles)) {
    const exited = handle.exited();
    if (exited)
      problems.push(
        `server ${id} exited during the run (code ${exited.code}, signal ${exited.signal}): ${handle.output().slice(-1500)}`,
      );
  }
  await Promise.all(Object.values(handles).map((h) => h.stop()));
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

  const checks = evaluate({ scenarios, sizes });
  const results = {
    meta,
    checks: checks.map((c) => ({ ...c, value: typeof c.value === 'number' ? round(c.value, 4) : c.value })),
    scenarios: Object.fromEntries(
      Object.values(scenarios).map((s) => [
        s.id,
        {
          label: s.label.replace(/\s+/g, ' '),
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
    knobs,
    problems,
  };

  const report = renderReport({ ...results, scenarios });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(RESULTS, 'ratios.svg'), renderSvg(checks, meta));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    log(`\n${report}`);
  } else {
    process.stdout.write(`\n${report}\n`);
  }
  log(`\nwrote bench/results/latest.json and bench/results/ratios.svg (${meta.seconds} s)`);
}

main().catch((error) => {
  log(`bench failed: ${error?.stack ?? error}`);
  // The 'exit' handler kills whatever is still running.
  process.exit(1);
});
