import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisClient } from '../src/stores/redis-client.js';
import type { Authenticator } from '../src/auth/principal.js';
import { channel, CloseCode, type PresenceState } from '../src/live/index.js';
import {
  connect,
  cookieAuthenticator,
  principal,
  sleep,
  startLive,
  type LiveServerHandle,
  type TestClient,
} from './fixtures/live-helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PRESENCE_TTL_MS = 600;
let handled = 0;
const channels = [
  channel('post/:id', {
    anonymous: true,
    presence: () => ({ instance: 'in-process' }),
    messages: { comment: Type.Object({ body: Type.String() }) },
    onMessage: () => ({ n: ++handled }),
  }),
];

const cleanup: (() => Promise<unknown> | unknown)[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes.splice(0)) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

/** A key prefix of its own per test, removed after it. */
function freshPrefix(): string {
  const prefix = `test:live:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

async function instance(prefix: string, authenticators: Authenticator[] = []): Promise<LiveServerHandle> {
  const redis = createRedisClient(REDIS_URL);
  const server = await startLive(
    { channels, allowAnonymous: true, authenticators, keyPrefix: prefix, limits: { presenceTtlMs: PRESENCE_TTL_MS } },
    redis,
  );
  cleanup.push(async () => {
    await server.close();
    redis.disconnect();
  });
  return server;
}

async function childInstance(prefix: string): Promise<{ child: ChildProcess; url: string }> {
  const script = fileURLToPath(new URL('./fixtures/live-instance.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, REDIS_URL, LIVE_PREFIX: prefix, LIVE_PRESENCE_TTL_MS: String(PRESENCE_TTL_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const { port } = JSON.parse(line.toString()) as { port: number };
  return { child, url: `ws://127.0.0.1:${port}/live` };
}

const track = (client: TestClient) => {
  cleanup.push(() => client.socket.terminate());
  return client;
};
const childMetas = (state: PresenceState) =>
  Object.values(state).flatMap((metas) => metas.filter((meta) => meta.instance === 'child'));
const refsOf = (state: PresenceState) => Object.values(state).flatMap((metas) => metas.map((meta) => meta.ref));

describe('live: several instances through Redis', () => {
  it('fans out across instances within 1 s, shares presence, and deduplicates a retry on the other instance', async () => {
    const prefix = freshPrefix();
    const a = await instance(prefix);
    const b = await instance(prefix);
    const onA = track(await connect(a.url));
    const onB = track(await connect(b.url));
    await onA.join('post/1');
    await onB.join('post/1');

    const started = performance.now();
    await b.app.live.publish('post/1', 'comment', { body: 'from B' });
    expect(await onA.next((frame) => frame.type === 'event')).toMatchObject({ seq: 1, data: { body: 'from B' } });
    expect(performance.now() - started).toBeLessThan(1000);
    await a.app.live.publish('post/1', 'comment', { body: 'from A' });
    expect(await onB.next((frame) => frame.type === 'event' && frame.seq === 2)).toBeDefined();
    await onB.next((frame) => frame.seq === 1);

    const union = await a.app.live.presence('post/1');
    expect(Object.keys(union)).toHaveLength(2);
    expect(await b.app.live.presence('post/1')).toEqual(union);

    onA.send({ type: 'push', ref: 'same-id', topic: 'post/1', event: 'comment', data: { body: 'hi' } });
    const first = await onA.next((frame) => frame.ref === 'same-id');
    onB.send({ type: 'push', ref: 'same-id', topic: 'post/1', event: 'comment', data: { body: 'hi' } });
    expect(await onB.next((frame) => frame.ref === 'same-id')).toEqual(first);
  });

  it('a revocation on one instance closes the socket on another', async () => {
    const prefix = freshPrefix();
    const a = await instance(prefix, [cookieAuthenticator({ s: principal(5, 'session-5') })]);
    const b = await instance(prefix);
    const client = track(await connect(a.url, { cookie: 'sid=s' }));
    await b.app.live.disconnect({ sessionId: 'session-5' });
    expect(await client.closed(1000)).toBe(CloseCode.revoked);
  });

  it('after an instance is SIGKILLed, its client resumes on another without losing an event, and its presence is dropped within the TTL', async () => {
    const prefix = freshPrefix();
    const a = await childInstance(prefix);
    const b = await instance(prefix);
    const reader = track(await connect(a.url));
    const joined = await reader.join('post/9');
    const watcher = track(await connect(b.url));
    await watcher.join('post/9');
    const before = await b.app.live.presence('post/9');
    expect(Object.keys(before)).toHaveLength(2);
    const childRefs = childMetas(before).map((meta) => meta.ref);
    expect(childRefs).toHaveLength(1);

    await b.app.live.publish('post/9', 'comment', { n: 1 });
    const seen = [await reader.next((frame) => frame.type === 'event')];
    a.child.kill('SIGKILL');
    await reader.closed();
    const killedAt = performance.now();
    for (let n = 2; n <= 4; n++) await b.app.live.publish('post/9', 'comment', { n });

    const last = seen.at(-1)!.seq as number;
    const resumed = track(await connect(b.url));
    expect(await resumed.join('post/9', { since: last, epoch: joined.epoch })).toMatchObject({ ok: true, seq: 1 });
    for (let n = 2; n <= 4; n++) seen.push(await resumed.next((frame) => frame.type === 'event'));
    await b.app.live.publish('post/9', 'comment', { n: 5 });
    seen.push(await resumed.next((frame) => frame.type === 'event'));
    await sleep(30);
    expect(seen.map((frame) => (frame.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    expect(resumed.frames.filter((frame) => frame.type === 'event')).toHaveLength(4);

    const gone = await watcher.next((frame) => frame.type === 'presence' && frame.leaves !== undefined, 3000);
    expect(refsOf(gone.leaves as PresenceState)).toEqual(childRefs);
    // The instance key expires after the TTL; a sweep runs every half TTL.
    expect(performance.now() - killedAt).toBeLessThan(PRESENCE_TTL_MS * 2 + 300);
    const after = await b.app.live.presence('post/9');
    expect(childMetas(after)).toEqual([]);
    expect(Object.keys(after)).toHaveLength(2);
  });
});

describe('live: the Redis backend keeps sequences per channel', () => {
  it('says refetch when the stream no longer holds the gap', async () => {
    const prefix = freshPrefix();
    const redis = new Redis(REDIS_URL);
    cleanup.push(() => redis.quit());
    const a = await instance(prefix);
    const client = track(await connect(a.url));
    const joined = await client.join('post/2');
    for (let n = 1; n <= 3; n++) await a.app.live.publish('post/2', 'comment', { n });
    await redis.del(`${prefix}h:post/2`);
    const late = track(await connect(a.url));
    expect(await late.join('post/2', { since: 1, epoch: joined.epoch })).toMatchObject({ refetch: true, seq: 3 });
  });
});
