import { LRUCache } from 'lru-cache';
import { entrySize, type PageCacheStore, type PageEntry } from './page-entry.js';

/** Least-recently-used pages go first once `maxBytes` is reached; expired ones are never served. */
export function createMemoryPageStore(options: { maxBytes: number; now?: () => number }): PageCacheStore {
  const now = options.now ?? Date.now;
  const tags = new Map<string, Set<string>>();
  let generation = 0;
  const untag = (key: string, entry: PageEntry) => {
    for (const tag of entry.tags) {
      const keys = tags.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) tags.delete(tag);
    }
  };
  const cache = new LRUCache<string, PageEntry>({
    maxSize: options.maxBytes,
    sizeCalculation: entrySize,
    dispose: (entry, key) => untag(key, entry),
  });
  const peek = (key: string): PageEntry | undefined => {
    const entry = cache.get(key);
    if (entry && entry.staleUntil <= now()) {
      cache.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    kind: 'memory',
    get: async (key) => peek(key),
    peek,
    async set(key, entry, ifGeneration) {
      if (ifGeneration !== undefined && ifGeneration !== generation) return false;
      cache.set(key, entry);
      // A page too large for the whole cache is refused by the LRU; it must not be tagged either.
      if (!cache.has(key)) return false;
      for (const tag of entry.tags) {
        let keys = tags.get(tag);
        if (!keys) tags.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return true;
    },
    async deleteKey(key) {
      generation++;
      return cache.delete(key);
    },
    async deleteTag(tag) {
      generation++;
      const keys = [...(tags.get(tag) ?? [])];
      for (const key of keys) cache.delete(key);
      tags.delete(tag);
      return keys.length;
    },
    async generation() {
      return generation;
    },
  };
}
