// Live endpoint benchmark: memory per idle socket, and broadcast fan-out latency to 1,000 and
// 5,000 subscribers of one channel on one instance and on two instances sharing Redis.
//
//   npx node bench/live.mjs                  # table on stdout
//   npx node bench/live.mjs --json           # JSON on stdout, table on stderr
//   npx node bench/live.mjs --idle 10000 --fanout 1000,5000 --events 20 --no-redis
//
// Needs the built server (npm run build). The servers are child processes killed on exit; every
// phase has a deadline, and the whole run stops after --timeout seconds (default 180).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import WebSocket from 'ws';

const USAGE = `Usage: node bench/live.mjs [--idle N] [--fanout N,N] [--events N] [--no-redis] [--timeout S] [--json]`;
const TARGETS = { idleSockets: 10_000, idleRssMb: 500, p99Ms5000: 50 };

function parseArgs(argv) {
  const options = { idle: 10_000, fanout: [1000, 5000], events: 20, redis: true, timeout: 180, json: false };
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
    else if (flag === '--no-redis') options.redis = false;
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

/** A server child with a request/answer channel over IPC. */
async function startServer(env = {}) {
  const child = fork(serverScript, [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const pending = new Map();
  let ids = 0;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`live bench server exited (${code})`)));
    child.on('message', (message) => {
      if (message.ready) return resolve(message.port);
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    });
  });
  const port = await withDeadline(ready, 15_000, 'server start');
  const ask = (message) =>
    new Promise((resolve) => {
      const id = ++ids;
      pending.set(id, resolve);
      child.send({ ...message, id });
    });
  return {
    url: `ws://127.0.0.1:${port}/live`,
    ask,
    async stop() {
      child.send({ cmd: 'exit' });
      await withDeadline(new Promise((resolve) => child.once('exit', resolve)), 5000, 'server exit').catch(() =>
        child.kill('SIGKILL'),
      );
    },
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

/** Opens `count` sockets (in batches, as a crowd arriving) that each join `topicOf(i)`. */
async function openSockets(url, count, topicOf, onEvent) {
  const sockets = [];
  const batch = 250;
  for (let start = 0; start < count; start += batch) {
    const opened = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      opened.push(
        new Promise((resolve, reject) => {
          const socket = new WebSocket(url, { perMessageDeflate: false });
          socket.once('error', reject);
          socket.once('open', () => socket.send(JSON.stringify({ type: 'join', ref: 'j', topic: topicOf(i) })));
          socket.on('message', (data) => {
            const frame = JSON.parse(data);
            if (frame.type === 'reply' && frame.ref === 'j') {
              if (frame.ok) resolve(socket);
              else reject(new Error(`join refused: ${frame.reason}`));
            } else if (frame.type === 'event') onEvent?.(frame);
          });
        }),
      );
    }
    sockets.push(...(await withDeadline(Promise.all(opened), 30_000, 'opening sockets')));
  }
  return sockets;
}

async function closeSockets(sockets) {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', resolve);
          socket.close();
        }),
    ),
  );
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes) => bytes / 1024 / 1024;

async function idleMemory(count) {
  const server = await startServer();
  const before = await server.ask({ cmd: 'stats' });
  const started = performance.now();
  const sockets = await openSockets(server.url, count, (i) => `idle/${i % 100}`);
  const openMs = performance.now() - started;
  await sleep(500);
  const after = await server.ask({ cmd: 'stats' });
  await closeSockets(sockets);
  await server.stop();
  return {
    sockets: after.connections,
    rssMb: mb(after.rss),
    perSocketKb: (after.rss - before.rss) / 1024 / count,
    heapPerSocketKb: (after.heapUsed - before.heapUsed) / 1024 / count,
    openPerSecond: count / (openMs / 1000),
  };
}

/** Publishes `events` events, one every 100 ms, and collects each subscriber's delivery delay. */
async function fanOut(subscribers, servers) {
  const latencies = [];
  let expected = 0;
  let received = 0;
  let done;
  const onEvent = (frame) => {
    latencies.push(performance.timeOrigin + performance.now() - frame.data.t);
    if (++received === expected) done();
  };
  const sockets = [];
  for (const [index, server] of servers.entries()) {
    const share = Math.floor(subscribers / servers.length) + (index < subscribers % servers.length ? 1 : 0);
    sockets.push(...(await openSockets(server.url, share, () => 'fan', onEvent)));
  }
  await sleep(300);
  const publishMs = [];
  for (let n = 0; n < options.events; n++) {
    expected = subscribers * (n + 1);
    const all = new Promise((resolve) => (done = resolve));
    publishMs.push((await servers[0].ask({ cmd: 'publish', topic: 'fan', n })).publishMs);
    await withDeadline(all, 10_000, `fan-out of event ${n}`);
    await sleep(100);
  }
  await closeSockets(sockets);
  latencies.sort((a, b) => a - b);
  publishMs.sort((a, b) => a - b);
  return {
    subscribers,
    samples: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    // One instance only: publish returns once every local socket has the frame.
    serverWriteP50Ms: servers.length === 1 ? percentile(publishMs, 50) : undefined,
  };
}

async function main() {
  const results = { idle: undefined, fanout: [], problems: [] };
  log(`live bench: ${options.idle} idle sockets; fan-out to ${options.fanout.join(', ')} subscribers`);
  try {
    results.idle = await idleMemory(options.idle);
  } catch (error) {
    results.problems.push(`idle sockets: ${error.message}`);
  }
  const single = await startServer();
  for (const subscribers of options.fanout) {
    try {
      results.fanout.push({ instances: 1, ...(await fanOut(subscribers, [single])) });
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
          results.fanout.push({ instances: 2, ...(await fanOut(subscribers, pair)) });
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
  return results;
}

function table(results) {
  const lines = [];
  const fixed = (value, digits = 1) => (value === undefined ? '—' : value.toFixed(digits));
  if (results.idle) {
    const { sockets, rssMb, perSocketKb, heapPerSocketKb, openPerSecond } = results.idle;
    lines.push('Idle sockets (one instance, each joined to one channel)');
    lines.push(`  sockets held                ${sockets}    (target ≥ ${TARGETS.idleSockets})`);
    lines.push(`  server RSS                  ${fixed(rssMb)} MB    (target < ${TARGETS.idleRssMb} MB)`);
    lines.push(`  RSS per socket              ${fixed(perSocketKb, 2)} kB`);
    lines.push(`  JS heap per socket          ${fixed(heapPerSocketKb, 2)} kB`);
    lines.push(`  upgrades+joins per second   ${fixed(openPerSecond, 0)}`);
  }
  lines.push('');
  lines.push('Broadcast fan-out (publish → received, measured in the one client process, so its own');
  lines.push('serial handling of N sockets is included; server write = publish until every socket has the frame)');
  lines.push('  instances  subscribers  samples   p50 ms   p99 ms   server write p50 ms');
  for (const row of results.fanout) {
    const target = row.instances === 1 && row.subscribers === 5000 ? `   (target p99 ≤ ${TARGETS.p99Ms5000} ms)` : '';
    lines.push(
      `  ${String(row.instances).padStart(9)}  ${String(row.subscribers).padStart(11)}  ${String(row.samples).padStart(7)}  ${fixed(row.p50Ms).padStart(7)}  ${fixed(row.p99Ms).padStart(7)}  ${fixed(row.serverWriteP50Ms).padStart(20)}${target}`,
    );
  }
  for (const problem of results.problems) lines.push(`problem: ${problem}`);
  return `${lines.join('\n')}\n`;
}

const results = await main();
if (options.json) {
  process.stderr.write(table(results));
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} else process.stdout.write(table(results));
process.exit(results.problems.length > 0 ? 1 : 0);
