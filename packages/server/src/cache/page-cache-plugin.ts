import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { ServerConfig } from '../config/load-config.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { createMemoryPageStore } from './memory-page-store.js';
import { createPageCache, type PageCache } from './page-cache.js';
import { createRedisPageStore } from './redis-page-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Invalidation of cached pages by key (`GET /posts/3`) or tag (`post:3`); absent when caching is off. */
    pageCache?: PageCache;
  }
}

export interface PageCachePluginOptions {
  readonly cache: ServerConfig['cache'];
  readonly brotliQuality: number;
  /** Shares pages across instances; memory (bounded by `cache.maxBytes`) otherwise. */
  readonly redis?: Redis;
  /** Prefix of the Redis keys; default 'cs:page:'. */
  readonly keyPrefix?: string;
  readonly metrics?: ServerMetrics;
}

/** The page cache from the config, as `fastify.pageCache`: Redis when there is one, memory otherwise. */
async function pageCacheFromConfig(fastify: FastifyInstance, options: PageCachePluginOptions): Promise<void> {
  const { cache, redis, metrics } = options;
  if (!cache.enabled) return;
  fastify.decorate(
    'pageCache',
    createPageCache({
      store: redis
        ? createRedisPageStore(redis, options.keyPrefix ? { prefix: options.keyPrefix } : {})
        : createMemoryPageStore({ maxBytes: cache.maxBytes }),
      ttlMs: cache.ttlMs,
      staleMs: cache.staleMs,
      brotliQuality: options.brotliQuality,
      onEvent: (event, count) => metrics?.pageCache.inc({ event }, count ?? 1),
      // Redis trouble is already logged once per state change; the cache just falls back to rendering.
      onError: (error, operation) =>
        fastify.log.debug({ err: error, operation }, 'page cache unavailable; rendered instead'),
    }),
  );
}

export const pageCachePlugin = fp(pageCacheFromConfig, { name: '@composable-svelte/page-cache', fastify: '5.x' });
