import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { LiveBackend, TopicMessage } from '../src/live/backend.js';
import { channel } from '../src/live/channel.js';
import { createMemoryBackend } from '../src/live/memory-backend.js';
import { createRedisBackend } from '../src/live/redis-backend.js';
import { createRedisClient } from '../src/stores/redis-client.js';
import { eventually } from './fixtures/live-helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const tiers: [string, (historySize: number) => Promise<LiveBackend>][] = [
  ['memory', async (historySize) => createMemoryBackend({ historySize })],
  [
    'redis',
    async (historySize) => {
      const prefix = `test:live:${randomUUID()}:`;
      const redis = createRedisClient(REDIS_URL);
      await new Promise((resolve) => redis.once('ready', resolve));
      const backend = await createRedisBackend({
        redis,
        keyPrefix: prefix,
        historySize,
        historyTtlMs: 60_000,
        presenceTtlMs: 1000,
        onError: (error) => {
          throw error;
        },
      });
      cleanup.push(async () => {
        await backend.close();
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      });
      return backend;
    },
  ],
];

describe.each(tiers)('live backend contract (%s)', (_name, open) => {
  it('numbers each channel from 1, keeps the last N, and answers "since" exactly or too-old', async () => {
    const backend = await open(3);
    expect(await backend.lastSeq('a')).toBe(0);
    expect(await backend.since('a', 0)).toEqual([]);
    for (let n = 1; n <= 5; n++) expect(await backend.publish('a', 'e', { n })).toBe(n);
    expect(await backend.publish('b', 'e', null)).toBe(1);
    expect(await backend.lastSeq('a')).toBe(5);
    expect((await backend.since('a', 2)) as unknown[]).toEqual([
      { topic: 'a', seq: 3, event: 'e', data: { n: 3 } },
      { topic: 'a', seq: 4, event: 'e', data: { n: 4 } },
      { topic: 'a', seq: 5, event: 'e', data: { n: 5 } },
    ]);
    expect(await backend.since('a', 5)).toEqual([]);
    expect(await backend.since('a', 1)).toBe('too-old');
    expect(await backend.since('a', 9)).toBe('too-old');
  });

  it('delivers published events and presence diffs to the listener of their topic only', async () => {
    const backend = await open(10);
    const seen: TopicMessage[] = [];
    await backend.listen('x', (message) => seen.push(message));
    await backend.publish('x', 'hello', { a: 1 });
    await backend.publish('y', 'other', {});
    // Refs are `<instanceId>.<n>`: the instance part tells whose heartbeat keeps the entry alive.
    const [r1, r2] = [`${backend.instanceId}.1`, `${backend.instanceId}.2`];
    await backend.presenceJoin('x', 'user:1', { ref: r1, name: 'ann' });
    await backend.presenceJoin('x', 'user:1', { ref: r2, name: 'ann' });
    await backend.presenceLeave('x', 'user:1', r1);
    await backend.presenceLeave('x', 'user:1', r1);
    expect(await eventually(() => seen.length === 4)).toBe(true);
    expect(seen[0]).toEqual({ kind: 'event', topic: 'x', seq: 1, event: 'hello', data: { a: 1 } });
    expect(
      seen
        .slice(1)
        .map((message) => (message.kind === 'presence' ? Object.keys(message.joins ?? message.leaves ?? {}) : [])),
    ).toEqual([['user:1'], ['user:1'], ['user:1']]);
    expect(await backend.presenceList('x')).toEqual({ 'user:1': [{ ref: r2, name: 'ann' }] });
    await backend.unlisten('x');
    await backend.publish('x', 'after', {});
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toHaveLength(4);
  });

  it('carries control messages (revocations) to every handler', async () => {
    const backend = await open(10);
    const got: unknown[] = [];
    backend.onControl((message) => got.push(message));
    await backend.control({ kind: 'disconnect', sessionId: 's1' });
    expect(await eventually(() => got.length === 1)).toBe(true);
    expect(got).toEqual([{ kind: 'disconnect', sessionId: 's1' }]);
  });
});

describe('live channels: topic patterns', () => {
  it('matches topics of its shape and gives their params', () => {
    const post = channel('post/:id/comments', {});
    expect(post.match('post/12/comments')).toEqual({ id: '12' });
    expect(post.match('post/12')).toBeUndefined();
    expect(post.match('post/12/likes')).toBeUndefined();
    expect(post.match('post/a b/comments')).toBeUndefined();
    expect(() => channel('post/:i d', {})).toThrow(/bad segment/);
  });

  it('any safe segment round-trips through a one-param pattern', () => {
    const room = channel('room/:name', {});
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_.~-]{1,64}$/), (name) => room.match(`room/${name}`)?.name === name),
    );
  });
});

describe('live backend: Redis sequences survive an emptied history', () => {
  it('a topic whose stream expired keeps numbering, and a resume into the gap is too-old', async () => {
    const prefix = `test:live:${randomUUID()}:`;
    const redis = createRedisClient(REDIS_URL);
    const raw = new Redis(REDIS_URL);
    await new Promise((resolve) => redis.once('ready', resolve));
    const backend = await createRedisBackend({
      redis,
      keyPrefix: prefix,
      historySize: 10,
      historyTtlMs: 60_000,
      presenceTtlMs: 1000,
      onError: () => {},
    });
    cleanup.push(async () => {
      await backend.close();
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) await raw.del(...keys);
      redis.disconnect();
      await raw.quit();
    });
    await backend.publish('t', 'e', 1);
    await backend.publish('t', 'e', 2);
    await raw.del(`${prefix}h:t`);
    expect(await backend.publish('t', 'e', 3)).toBe(3);
    expect(await backend.since('t', 1)).toBe('too-old');
    expect(await backend.since('t', 2)).toEqual([{ topic: 't', seq: 3, event: 'e', data: 3 }]);
  });
});
