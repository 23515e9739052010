import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/** The outcome of a push, kept so a retry with the same id gets the same answer. */
export type PushOutcome =
  { readonly ok: true; readonly data?: unknown } | { readonly ok: false; readonly reason: string };

/**
 * Remembers pushes by id for `ttlMs`: `claim` says whether this one is new (run it), already
 * answered (send that answer again) or still running elsewhere ('pending').
 */
export interface PushDedupe {
  claim(id: string): Promise<'new' | 'pending' | PushOutcome>;
  settle(id: string, outcome: PushOutcome): Promise<void>;
  /** Forgets a claim whose handler failed unexpectedly, so a retry runs it again. */
  release(id: string): Promise<void>;
}

const PENDING = 'pending';

export function createMemoryDedupe(options: { ttlMs: number; max: number }): PushDedupe {
  const seen = new LRUCache<string, PushOutcome | typeof PENDING>({ max: options.max, ttl: options.ttlMs });
  return {
    async claim(id) {
      const known = seen.get(id);
      if (known === undefined) {
        seen.set(id, PENDING);
        return 'new';
      }
      return known;
    },
    async settle(id, outcome) {
      seen.set(id, outcome);
    },
    async release(id) {
      seen.delete(id);
    },
  };
}

/** Shared by every instance, so a retry that lands on another instance is deduplicated too. */
export function createRedisDedupe(options: { redis: Redis; keyPrefix: string; ttlMs: number }): PushDedupe {
  const { redis, keyPrefix, ttlMs } = options;
  const key = (id: string) => `${keyPrefix}ack:${id}`;
  const claim = async (id: string): Promise<'new' | 'pending' | PushOutcome> => {
    if ((await redis.set(key(id), PENDING, 'PX', ttlMs, 'NX')) === 'OK') return 'new';
    const known = await redis.get(key(id));
    // Expired between the two commands: claim it afresh.
    if (known === null) return claim(id);
    return known === PENDING ? PENDING : (JSON.parse(known) as PushOutcome);
  };
  return {
    claim,
    async settle(id, outcome) {
      await redis.set(key(id), JSON.stringify(outcome), 'PX', ttlMs);
    },
    async release(id) {
      await redis.del(key(id));
    },
  };
}
