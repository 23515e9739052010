import type { Redis } from 'ioredis';
import type { PageCacheStore, PageEntry } from './page-entry.js';

interface Meta {
  bytes: number;
  etag: string;
  lastModified: string;
  createdAt: number;
  freshUntil: number;
  staleUntil: number;
  tags: string[];
}

/**
 * Pages in Redis, shared by every instance: one render serves them all, and deleting a key or a
 * tag invalidates it everywhere at once. Each entry is a hash (html, br, gz, meta) that expires when
 * it stops being servable; each tag is a set of keys.
 */
export function createRedisPageStore(
  redis: Redis,
  options: { prefix?: string; now?: () => number } = {},
): PageCacheStore {
  const prefix = options.prefix ?? 'cs:page:';
  const now = options.now ?? Date.now;
  const entryKey = (key: string) => `${prefix}e:${key}`;
  const tagKey = (tag: string) => `${prefix}t:${tag}`;
  return {
    kind: 'redis',
    async get(key) {
      const [html, br, gz, meta] = await redis.hmgetBuffer(entryKey(key), 'html', 'br', 'gz', 'meta');
      if (!html || !br || !gz || !meta) return undefined;
      const parsed = JSON.parse(meta.toString('utf8')) as Meta;
      if (parsed.staleUntil <= now()) return undefined;
      return { ...parsed, html: html.toString('utf8'), br, gzip: gz };
    },
    async set(key, entry: PageEntry) {
      const meta: Meta = {
        bytes: entry.bytes,
        etag: entry.etag,
        lastModified: entry.lastModified,
        createdAt: entry.createdAt,
        freshUntil: entry.freshUntil,
        staleUntil: entry.staleUntil,
        tags: [...entry.tags],
      };
      const ttl = Math.max(1, entry.staleUntil - now());
      // A replaced entry leaves the tags it no longer carries: deleting one of those must not delete it.
      const previous = await redis.hget(entryKey(key), 'meta');
      const dropped = previous ? (JSON.parse(previous) as Meta).tags.filter((tag) => !entry.tags.includes(tag)) : [];
      const pipeline = redis
        .multi()
        .hset(entryKey(key), { html: entry.html, br: entry.br, gz: entry.gzip, meta: JSON.stringify(meta) })
        .pexpire(entryKey(key), ttl);
      // A tag set outlives its members a little; deleting a tag tolerates keys that already expired.
      for (const tag of entry.tags) pipeline.sadd(tagKey(tag), key).pexpire(tagKey(tag), ttl + 60_000);
      for (const tag of dropped) pipeline.srem(tagKey(tag), key);
      await pipeline.exec();
    },
    async deleteKey(key) {
      return (await redis.del(entryKey(key))) > 0;
    },
    async deleteTag(tag) {
      const keys = await redis.smembers(tagKey(tag));
      if (keys.length === 0) return 0;
      const deleted = await redis.del(...keys.map(entryKey), tagKey(tag));
      return Math.max(0, deleted - 1);
    },
  };
}
