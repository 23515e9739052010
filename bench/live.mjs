// Live endpoint benchmark: memory per idle socket, and broadcast fan-out latency to 1,000 and
// 5,000 subscribers of one channel on one instance and on two instances sharing Redis.
//
//   npx node bench/live.mjs                  # table on stdout
//   npx node bench/live.mjs --json           # JSON on stdout, table on stderr
//   npx node bench/live.mjs --idle 10000 --fanout 1000,5000 --events 20 --client-procs 2 --no-redis
//   npx node bench/live.mjs --module packages/server/dist/live-before/index.js   # another build of the live module
//
// Needs the built server (npm run build). The servers are child processes killed on exit; every
// phase has a deadline, and the whole run stops after --timeout seconds (default 180).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { liveTable } from './lib/live-report.mjs';

const USAGE = `Usage: node bench/live.mjs [--idle N] [--fanout N,N] [--events N] [--client-procs N] [--no-redis] [--module PATH] [--timeout S] [--json]`;

function parseArgs(argv) {
  const options = {
    idle: 10_000,
    fanout: [1000, 5000],
    events: 20,
    clientProcs: 2,
    redis: true,
    timeout: 180,
    json: false,
    module: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    const count = (raw) => {
      const value = Number(raw);
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${flag} must be a positive integer; got ${raw}`);
      return value;
    };
    if (flag === '--idle') options.idle = count(next());
    else if (flag === '--fanout') options.fanout = next().split(',').map(count);
    else if (flag === '--events') options.events = count(next());
    else if (flag === '--timeout') options.timeout = count(next());
    else if (flag === '--client-procs') options.clientProcs = count(next());
    else if (flag === '--no-redis') options.redis = false;
    else if (flag === '--module') options.module = next();
    else if (flag === '--json') options.json = true;
    else if (flag === '-h' || flag === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const log = (line) => process.stderr.write(`${line}\n`);
const children = new Set();
const killAll = () => {
  for (const child of children) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
setTimeout(() => {
  log(`bench/live: stopped after the ${options.timeout} s limit`);
  process.exit(2);
}, options.timeout * 1000).unref();

const serverScript = fileURLToPath(new URL('./live/server.mjs', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const clientScript = fileURLToPath(new URL('./live/clients.mjs', import.meta.url));

/** A child process with a request/answer channel over IPC; `ready` is its first message. */
async function startChild(script, { env = {}, execArgv = [] } = {}) {
  const child = fork(script, [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const pending = new Map();
  let ids = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    child.on('message', (message) => {
      if (message.ready) return resolve(message);
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
  });
  const first = await withDeadline(ready, 15_000, 'child start');
  const ask = (message, ms = 60_000) =>
    withDeadline(
      new Promise((resolve, reject) => {
        const id = ++ids;
        pending.set(id, (answer) => (answer.error ? reject(new Error(answer.error)) : resolve(answer)));
        child.send({ ...message, id });
      }),
      ms,
      message.cmd,
    );
  const stop = async () => {
    child.send({ cmd: 'exit' });
    await withDeadline(new Promise((resolve) => child.once('exit', resolve)), 5000, 'exit').catch(() =>
      child.kill('SIGKILL'),
    );
  };
  return { first, ask, stop, child };
}

async function startServer(env = {}) {
  if (options.module) env = { ...env, LIVE_MODULE: pathToFileURL(resolve(options.module)).href };
  const server = await startChild(serverScript, {
    env,
    execArgv: ['--expose-gc'],
  });
  return { ...server, url: `ws://127.0.0.1:${server.first.port}/live` };
}

/** The load generator: `options.clientProcs` processes sharing the sockets. */
async function startClients() {
  const procs = [];
  for (let i = 0; i < options.clientProcs; i++) procs.push(await startChild(clientScript));
  return {
    procs,
    /** Opens `count` sockets spread over the processes (and over `urls` round-robin), joined to `topic`. */
    async open(urls, count, topic) {
      const shares = procs.map((_, i) => Math.floor(count / procs.length) + (i < count % procs.length ? 1 : 0));
      await Promise.all(
        procs.map((proc, i) => proc.ask({ cmd: 'open', url: urls[i % urls.length], count: shares[i], topic })),
      );
      return shares;
    },
    close: () => Promise.all(procs.map((proc) => proc.ask({ cmd: 'close' }))),
    stop: () => Promise.all(procs.map((proc) => proc.child.kill('SIGKILL'))),
  };
}

function withDeadline(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => bytes / 1024 / 1024;

async function idleMemory(clients, count) {
  const server = await startServer();
  try {
    const before = await server.ask({ cmd: 'stats' });
    const started = performance.now();
    await clients.open([server.url], count, undefined);
    const openMs = performance.now() - started;
    await sleep(500);
    const after = await server.ask({ cmd: 'stats' });
    await clients.close();
    return {
      sockets: after.connections,
      rssMb: mb(after.rss),
      perSocketKb: (after.rss - before.rss) / 1024 / count,
      heapPerSocketKb: (after.heapUsed - before.heapUsed) / 1024 / count,
      openPerSecond: count / (openMs / 1000),
    };
  } finally {
    await server.stop();
  }
}

/** Publishes `options.events` events, one every 100 ms, and collects each subscriber's delay. */
async function fanOut(clients, subscribers, servers) {
  const shares = await clients.open(
    servers.map((server) => server.url),
    subscribers,
    'fan',
  );
  await sleep(300);
  const publishMs = [];
  const publishCpuMs = [];
  for (let n = 0; n < options.events; n++) {
    const answer = await servers[0].ask({ cmd: 'publish', topic: 'fan', n });
    publishMs.push(answer.publishMs);
    publishCpuMs.push(answer.publishCpuMs);
    await Promise.all(clients.procs.map((proc, i) => proc.ask({ cmd: 'expect', total: shares[i] * (n + 1) }, 10_000)));
    await sleep(100);
  }
  const collected = await Promise.all(clients.procs.map((proc) => proc.ask({ cmd: 'collect' })));
  await clients.close();
  const latencies = collected.flatMap((answer) => answer.latencies).sort((a, b) => a - b);
  publishMs.sort((a, b) => a - b);
  publishCpuMs.sort((a, b) => a - b);
  return {
    subscribers,
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    // One instance only: publish returns once every local socket has the frame.
    serverWriteP50Ms: servers.length === 1 ? percentile(publishMs, 50) : undefined,
    serverCpuP50Ms: servers.length === 1 ? percentile(publishCpuMs, 50) : undefined,
  };
}

async function main() {
  // Figures from a shared or busy machine are not comparable: say what it was doing.
  const machine = { cpus: availableParallelism(), loadAverage: loadavg().map((value) => Number(value.toFixed(2))) };
  const results = { machine, clientProcs: options.clientProcs, idle: undefined, fanout: [], problems: [] };
  log(
    `live bench: ${options.idle} idle sockets; fan-out to ${options.fanout.join(', ')} subscribers; ${options.clientProcs} client processes`,
  );
  const clients = await startClients();
  try {
    results.idle = await idleMemory(clients, options.idle);
  } catch (error) {
    results.problems.push(`idle sockets: ${error.message}`);
  }
  const single = await startServer();
  for (const subscribers of options.fanout) {
    try {
      results.fanout.push({ instances: 1, ...(await fanOut(clients, subscribers, [single])) });
    } catch (error) {
      results.problems.push(`fan-out ${subscribers} (1 instance): ${error.message}`);
    }
  }
  await single.stop();
  if (options.redis) {
    const prefix = `bench:live:${randomUUID()}:`;
    const env = { REDIS_URL, LIVE_PREFIX: prefix };
    try {
      const pair = [await startServer(env), await startServer(env)];
      for (const subscribers of options.fanout) {
        try {
          results.fanout.push({ instances: 2, ...(await fanOut(clients, subscribers, pair)) });
        } catch (error) {
          results.problems.push(`fan-out ${subscribers} (2 instances): ${error.message}`);
        }
      }
      await Promise.all(pair.map((server) => server.stop()));
    } catch (error) {
      results.problems.push(`two instances via Redis: ${error.message}`);
    } finally {
      const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis
        .connect()
        .then(async () => {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length > 0) await redis.del(...keys);
        })
        .catch(() => {})
        .finally(() => redis.disconnect());
    }
  }
  await clients.stop();
  return results;
}

const results = await main();
if (options.json) {
  process.stderr.write(liveTable(results));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else process.stdout.write(liveTable(results));
process.exit(results.problems.length > 0 ? 1 : 0);
