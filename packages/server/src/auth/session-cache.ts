import { LRUCache } from 'lru-cache';
import type { Redis } from 'ioredis';
import type { Viewer } from './principal.js';

/** A session as a request sees it: enough to authenticate without reading the database again. */
export interface CachedSession {
  readonly id: string;
  readonly viewer: Viewer;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly idleExpiresAt: Date;
  readonly absoluteExpiresAt: Date;
  readonly userAgent: string;
}

export interface SessionCache {
  get(id: string): CachedSession | undefined;
  set(session: CachedSession): void;
  /** Drops sessions here and, through Redis, in every other instance. */
  invalidate(target: { readonly ids?: readonly string[]; readonly userId?: number }): Promise<void>;
  close(): Promise<void>;
}

export interface SessionCacheOptions {
  /** 0 turns the cache off: every request reads its session from the database. */
  readonly ttlMs: number;
  readonly maxEntries?: number;
  /** When set, invalidations are published and received on `channel`, so every instance forgets at once. */
  readonly redis?: Redis;
  readonly channel?: string;
  readonly logger?: { warn(obj: object, msg: string): void };
}

interface Invalidation {
  readonly ids?: readonly string[];
  readonly userId?: number;
}

export const SESSION_INVALIDATION_CHANNEL = 'cs:auth:sessions';

/**
 * Per-process session lookups, so a page view costs no database round trip. A revoked session must
 * not outlive its revocation anywhere: with Redis, each invalidation is published and every
 * instance drops the entries; while the subscription is not live (Redis down, reconnecting) the
 * cache is bypassed entirely, so a missed message can never leave a revoked session usable.
 */
export function createSessionCache(options: SessionCacheOptions): SessionCache {
  const channel = options.channel ?? SESSION_INVALIDATION_CHANNEL;
  const entries = new LRUCache<string, CachedSession>({
    max: options.maxEntries ?? 10_000,
    ttl: Math.max(options.ttlMs, 1),
  });
  let listening = options.redis === undefined;
  let subscriber: Redis | undefined;

  const apply = ({ ids, userId }: Invalidation) => {
    for (const id of ids ?? []) entries.delete(id);
    if (userId !== undefined) {
      for (const [id, session] of entries.entries()) if (session.viewer.id === userId) entries.delete(id);
    }
  };

  if (options.redis && options.ttlMs > 0) {
    // A connection in subscriber mode can do nothing else, so it is a second one.
    const sub = options.redis.duplicate({ enableOfflineQueue: true });
    subscriber = sub;
    sub.on('error', () => {
      listening = false;
    });
    sub.on('close', () => {
      listening = false;
      entries.clear();
    });
    sub.on('ready', () => {
      sub.subscribe(channel).then(
        () => {
          listening = true;
        },
        (error: unknown) => options.logger?.warn({ err: error }, 'session cache: cannot subscribe; cache bypassed'),
      );
    });
    sub.on('message', (received: string, message: string) => {
      if (received !== channel) return;
      try {
        apply(JSON.parse(message) as Invalidation);
      } catch {
        entries.clear();
      }
    });
  }

  const usable = () => options.ttlMs > 0 && listening;

  return {
    get: (id) => (usable() ? entries.get(id) : undefined),
    set(session) {
      if (usable()) entries.set(session.id, session);
    },
    async invalidate(target) {
      apply(target);
      if (!options.redis || options.ttlMs === 0) return;
      try {
        await options.redis.publish(channel, JSON.stringify(target));
      } catch (error) {
        // Other instances keep a stale entry at most ttlMs; the database row is already gone.
        options.logger?.warn({ err: error }, 'session cache: invalidation not published (Redis unavailable)');
      }
    },
    async close() {
      entries.clear();
      if (subscriber) await subscriber.quit().catch(() => subscriber?.disconnect());
    },
  };
}
