import type { Redis } from 'ioredis';
import type { PageCacheStore, PageEntry } from './page-entry.js';

interface Meta {
  etag: string;
  lastModified: string;
  createdAt: number;
  freshUntil: number;
  staleUntil: number;
  tags: string[];
}

/**
 * Writes an entry and its tag sets in one step, unless the generation moved since the caller read
 * it (an empty ARGV[1] stores unconditionally). Atomic in Redis, so no invalidation on another
 * instance can fall between the check and the write.
 * KEYS: generation, entry, the entry's tags, then the tags it no longer carries.
 * ARGV: expected generation, ttl ms, tag count, cache key, html, br, gz, meta.
 */
const STORE_IF_GENERATION = `
if ARGV[1] ~= '' and (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[2])
local tags = tonumber(ARGV[3])
redis.call('HSET', KEYS[2], 'html', ARGV[5], 'br', ARGV[6], 'gz', ARGV[7], 'meta', ARGV[8])
redis.call('PEXPIRE', KEYS[2], ttl)
for i = 3, 2 + tags do
  redis.call('SADD', KEYS[i], ARGV[4])
  redis.call('PEXPIRE', KEYS[i], ttl + 60000)
end
for i = 3 + tags, #KEYS do redis.call('SREM', KEYS[i], ARGV[4]) end
return 1
`;

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
  const generationKey = `${prefix}generation`;
  return {
    kind: 'redis',
    async get(key) {
      const [html, br, gz, meta] = await redis.hmgetBuffer(entryKey(key), 'html', 'br', 'gz', 'meta');
      if (!html || !br || !gz || !meta) return undefined;
      const parsed = JSON.parse(meta.toString('utf8')) as Meta;
      if (parsed.staleUntil <= now()) return undefined;
      return { ...parsed, body: html, br, gzip: gz };
    },
    async set(key, entry: PageEntry, ifGeneration) {
      const meta: Meta = {
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
      const stored = await redis.eval(
        STORE_IF_GENERATION,
        2 + entry.tags.length + dropped.length,
        generationKey,
        entryKey(key),
        ...entry.tags.map(tagKey),
        ...dropped.map(tagKey),
        ifGeneration === undefined ? '' : String(ifGeneration),
        ttl,
        entry.tags.length,
        key,
        entry.body,
        entry.br,
        entry.gzip,
        JSON.stringify(meta),
      );
      return stored === 1;
    },
    // The generation moves first: a render that read the old one can no longer store its page,
    // whichever instance it runs on.
    async deleteKey(key) {
      await redis.incr(generationKey);
      return (await redis.del(entryKey(key))) > 0;
    },
    async deleteTag(tag) {
      await redis.incr(generationKey);
      const keys = await redis.smembers(tagKey(tag));
      if (keys.length === 0) return 0;
      const deleted = await redis.del(...keys.map(entryKey), tagKey(tag));
      return Math.max(0, deleted - 1);
    },
    async generation() {
      return Number((await redis.get(generationKey)) ?? 0);
    },
  };
}
