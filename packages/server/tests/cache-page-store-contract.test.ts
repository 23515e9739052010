/**
 * The page-store contract, run against every backend: the memory store (one process) and the Redis
 * store (shared by instances) must behave the same to the page cache.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPageStore } from '../src/cache/memory-page-store.js';
import type { PageCacheStore, PageEntry } from '../src/cache/page-entry.js';
import { createRedisPageStore } from '../src/cache/redis-page-store.js';
import { requireRedis } from './support/redis-available.js';

const redisUrl = await requireRedis();

interface Backend {
  readonly kind: 'memory' | 'redis';
  /** A fresh, empty store on a clock the test moves. */
  create(now: () => number): PageCacheStore;
}

const run = `${Date.now()}-${Math.floor(Math.random() * 1e9)}`;
let redis: Redis | undefined;
let stores = 0;

const backends: Backend[] = [{ kind: 'memory', create: (now) => createMemoryPageStore({ maxBytes: 10_000_000, now }) }];
if (redisUrl) {
  backends.push({
    kind: 'redis',
    create: (now) => createRedisPageStore(redis!, { prefix: `cs:test:contract:${run}:${stores++}:`, now }),
  });
}

beforeAll(async () => {
  if (!redisUrl) return;
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
});

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`cs:test:contract:${run}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function entry(html: string | Buffer, tags: readonly string[], at: number, staleInMs = 5000): PageEntry {
  return {
    body: Buffer.isBuffer(html) ? html : Buffer.from(html, 'utf8'),
    br: Buffer.from([1, 2, 3, 0, 255]),
    gzip: Buffer.from([31, 139, 8, 0]),
    etag: `"${html.length}"`,
    lastModified: new Date(at).toUTCString(),
    createdAt: at,
    freshUntil: at + 1000,
    staleUntil: at + staleInMs,
    tags,
  };
}

for (const backend of backends) {
  describe(`page store contract: ${backend.kind}`, () => {
    let now = 1_800_000_000_000;
    const clock = () => now;

    it('reads back exactly what was stored, binary variants and UTF-8 included; an unknown key is a miss', async () => {
      const store = backend.create(clock);
      const stored = entry('<p>héllo ✓</p>', ['a', 'b'], now);
      await store.set('GET /x', stored);
      expect(await store.get('GET /x')).toEqual(stored);
      expect(await store.get('GET /unknown')).toBeUndefined();
      expect(store.kind).toBe(backend.kind);
    });

    it('keeps the body as bytes: any byte sequence comes back as it went in, never re-decoded', async () => {
      const store = backend.create(clock);
      const bytes = Buffer.from([0x3c, 0xff, 0x00, 0xc3, 0x28, 0xe2, 0x82, 0x3e, 0x0a]);
      await store.set('GET /bytes', entry(bytes, [], now));
      const read = await store.get('GET /bytes');
      expect(Buffer.isBuffer(read?.body)).toBe(true);
      expect(read?.body.equals(bytes)).toBe(true);
    });

    it('never returns an entry at or past staleUntil', async () => {
      const store = backend.create(clock);
      await store.set('GET /old', entry('<p>old</p>', ['t'], now, 100));
      expect(await store.get('GET /old')).toBeDefined();
      now += 100;
      expect(await store.get('GET /old')).toBeUndefined();
    });

    it('deletes by key, saying whether there was one', async () => {
      const store = backend.create(clock);
      await store.set('GET /k', entry('<p>k</p>', [], now));
      expect(await store.deleteKey('GET /k')).toBe(true);
      expect(await store.get('GET /k')).toBeUndefined();
      expect(await store.deleteKey('GET /k')).toBe(false);
    });

    it('deletes by tag every entry carrying it, and only those, counting them', async () => {
      const store = backend.create(clock);
      await store.set('GET /1', entry('<p>1</p>', ['post:1', 'posts'], now));
      await store.set('GET /2', entry('<p>2</p>', ['post:2', 'posts'], now));
      await store.set('GET /3', entry('<p>3</p>', ['home'], now));
      expect(await store.deleteTag('post:1')).toBe(1);
      expect(await store.get('GET /1')).toBeUndefined();
      expect(await store.deleteTag('posts')).toBe(1);
      expect(await store.get('GET /2')).toBeUndefined();
      expect(await store.get('GET /3')).toBeDefined();
      expect(await store.deleteTag('nothing')).toBe(0);
    });

    it('replacing an entry replaces its tags', async () => {
      const store = backend.create(clock);
      await store.set('GET /r', entry('<p>r1</p>', ['old', 'both'], now));
      await store.set('GET /r', entry('<p>r2</p>', ['new', 'both'], now));
      expect(await store.deleteTag('old')).toBe(0);
      expect((await store.get('GET /r'))?.body.toString('utf8')).toBe('<p>r2</p>');
      expect(await store.deleteTag('both')).toBe(1);
      expect(await store.get('GET /r')).toBeUndefined();
    });

    it('a write conditioned on a generation is refused once any deletion has happened since', async () => {
      const store = backend.create(clock);
      const before = await store.generation();
      expect(await store.set('GET /g', entry('<p>g1</p>', ['g'], now), before)).toBe(true);
      await store.deleteKey('GET /elsewhere');
      expect(await store.set('GET /g', entry('<p>g2</p>', ['g'], now), before)).toBe(false);
      expect((await store.get('GET /g'))?.body.toString('utf8')).toBe('<p>g1</p>');
      const afterKey = await store.generation();
      expect(afterKey).not.toBe(before);
      await store.deleteTag('nothing');
      expect(await store.set('GET /g', entry('<p>g3</p>', ['g'], now), afterKey)).toBe(false);
      expect(await store.set('GET /g', entry('<p>g4</p>', ['g'], now), await store.generation())).toBe(true);
      expect(await store.set('GET /g', entry('<p>g5</p>', ['g'], now))).toBe(true);
      expect((await store.get('GET /g'))?.body.toString('utf8')).toBe('<p>g5</p>');
    });
  });
}
