export { createPageCache } from '../cache/page-cache.js';
export type { PageCache, PageCacheEvent, PageCacheOptions, RenderedPage } from '../cache/page-cache.js';
export { pageCachePlugin } from '../cache/page-cache-plugin.js';
export type { PageCachePluginOptions } from '../cache/page-cache-plugin.js';
export { createMemoryPageStore } from '../cache/memory-page-store.js';
export { createRedisPageStore } from '../cache/redis-page-store.js';
export type { PageCacheStore, PageEntry } from '../cache/page-entry.js';
