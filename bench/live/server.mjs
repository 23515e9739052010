// One live server for bench/live.mjs, in its own process so the load generator does not share its
// event loop or its heap. Talks to the parent over IPC: 'ready' with its port, then answers
// 'stats' (memory after a GC) and 'publish' (events stamped with the wall clock in ms; answers with
// the wall and CPU time the call took).
import Fastify from 'fastify';
import { Redis } from 'ioredis';
// LIVE_MODULE (bench/live.mjs --module) runs another build of the live module, e.g. a copy of
// packages/server/dist/live taken before a change, placed beside it so its imports still resolve.
const { channel, live } = await import(process.env.LIVE_MODULE ?? '../../packages/server/dist/live/index.js');

const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { enableOfflineQueue: false, commandTimeout: 2000 })
  : null;
const app = Fastify({ logger: false });
await app.register(live, {
  channels: [channel('idle/:n', { anonymous: true }), channel('fan', { anonymous: true })],
  allowAnonymous: true,
  redis,
  keyPrefix: process.env.LIVE_PREFIX ?? 'bench:live:',
  limits: { upgradesPerMinute: 1_000_000, heartbeatMs: 600_000, maxBufferedBytes: 16_777_216 },
});
await app.listen({ host: '127.0.0.1', port: 0 });

const now = () => performance.timeOrigin + performance.now();
process.on('message', async (message) => {
  if (message.cmd === 'stats') {
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.send({ id: message.id, rss, heapUsed, connections: app.live.connections });
  } else if (message.cmd === 'publish') {
    // In process (no Redis) the fan-out is synchronous inside publish: this is the time to hand
    // the frame to every subscriber's socket.
    // Its CPU time as well: unlike the wall time, it does not grow when other processes take the cores.
    const cpu = process.cpuUsage();
    const started = now();
    await app.live.publish(message.topic, 'tick', { t: started, n: message.n });
    const publishMs = now() - started;
    const { user, system } = process.cpuUsage(cpu);
    process.send({ id: message.id, publishMs, publishCpuMs: (user + system) / 1000 });
  } else if (message.cmd === 'exit') {
    await app.close();
    redis?.disconnect();
    process.exit(0);
  }
});
process.send({ ready: true, port: app.server.address().port });
