import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { assertLimits, type HitResult } from './sliding-window.js';

/**
 * The sliding-window log of `sliding-window.ts`, shared through Redis: one sorted set per key
 * (score = hit time in ms), updated by a single Lua script so that concurrent instances cannot
 * both take the last slot.
 *
 * Time comes from the Redis server (`TIME`) unless a clock is injected: one clock for every
 * instance means their own clock skew cannot widen or narrow the window. An injected clock (tests)
 * must be shared by all instances using the same keys, and key expiry still runs on Redis' real
 * clock, so injected windows should be ≥ the real time a test takes. Needs Redis ≥ 5 (scripts
 * calling TIME before writing are replicated by effect).
 */
const HIT_SCRIPT = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < max then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window))
  count = count + 1
  allowed = 1
end
local reset = window
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return { count, allowed, math.ceil(reset) }
`;

const COMMAND = 'composableSlidingWindowHit';

type HitCommand = (
  key: string,
  max: number,
  windowMs: number,
  now: string,
  member: string,
) => Promise<[number, number, number]>;

export interface RedisSlidingWindowOptions {
  readonly client: Redis;
  readonly max: number;
  readonly windowMs: number;
  /** Prepended to every key, e.g. 'cs:rl:global:'. */
  readonly keyPrefix: string;
  /** Overrides Redis server time (tests). */
  readonly now?: () => number;
}

export interface RedisSlidingWindowLimiter {
  hit(key: string): Promise<HitResult>;
}

export function createRedisSlidingWindowLimiter(options: RedisSlidingWindowOptions): RedisSlidingWindowLimiter {
  const { client, max, windowMs, keyPrefix, now } = options;
  assertLimits(max, windowMs, 'redis sliding window');
  // defineCommand runs the script by EVALSHA and falls back to EVAL when Redis lost its script
  // cache (restart, failover), so a recovered Redis needs no action from us.
  if (typeof (client as unknown as Record<string, unknown>)[COMMAND] !== 'function') {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: HIT_SCRIPT });
  }
  const command = (client as unknown as Record<typeof COMMAND, HitCommand>)[COMMAND].bind(client);
  // Members must be unique even for equal timestamps from several instances.
  const instance = randomUUID();
  let sequence = 0;

  return {
    async hit(key) {
      const member = `${instance}:${(sequence++).toString(36)}`;
      const [count, allowed, resetMs] = await command(keyPrefix + key, max, windowMs, now ? String(now()) : '', member);
      return { allowed: allowed === 1, count, remaining: max - count, resetMs };
    },
  };
}
