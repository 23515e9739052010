import { randomUUID } from 'node:crypto';
import type { PresenceMeta, PresenceState } from '@composable-svelte/core/live';
import type { Redis } from 'ioredis';
import {
  groupPresence,
  type ControlMessage,
  type LiveBackend,
  type SequencedEvent,
  type TopicMessage,
} from './backend.js';

export interface RedisBackendOptions {
  /** Commands (shared with the rest of the server). */
  readonly redis: Redis;
  /** Prefix of every key and pub/sub channel; default 'cs:live:'. */
  readonly keyPrefix?: string;
  readonly historySize: number;
  /** A stream untouched this long is dropped (its topic's sequence is kept). */
  readonly historyTtlMs: number;
  /** An instance whose heartbeat is older than this is dead: its presence entries are removed. */
  readonly presenceTtlMs: number;
  readonly onError: (error: unknown, what: string) => void;
}

// Numbering, history and fan-out in one atomic step, so every subscriber sees events in sequence
// order. The stream entry id is the sequence itself, which makes "after seq N" an XRANGE.
const PUBLISH = `
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], seq .. '-0', 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', KEYS[3], 'e' .. seq .. '|' .. ARGV[1])
return seq`;

const PUBLISH_COMMAND = 'csLivePublish';

/**
 * Any number of instances through Redis: INCR for sequences, a capped stream per topic for history,
 * pub/sub for fan-out and control, a hash per topic for presence, and a key per live instance whose
 * expiry tells the others it died (they then remove its presence entries and announce the leaves).
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<LiveBackend> {
  const { redis, historySize, historyTtlMs, presenceTtlMs, onError } = options;
  const prefix = options.keyPrefix ?? 'cs:live:';
  const instanceId = randomUUID().slice(0, 8);
  const keys = {
    seq: (topic: string) => `${prefix}seq:${topic}`,
    stream: (topic: string) => `${prefix}h:${topic}`,
    channel: (topic: string) => `${prefix}t:${topic}`,
    presence: (topic: string) => `${prefix}p:${topic}`,
    instance: (id: string) => `${prefix}i:${id}`,
    control: `${prefix}control`,
    epoch: `${prefix}epoch`,
  };
  // A subscriber connection cannot send other commands; it queues while (re)connecting and
  // resubscribes by itself after a reconnect.
  const subscriber = redis.duplicate({ enableOfflineQueue: true, commandTimeout: 5000, lazyConnect: false });
  subscriber.on('error', (error) => onError(error, 'subscriber'));
  const listeners = new Map<string, (message: TopicMessage) => void>();
  const controlHandlers: ((message: ControlMessage) => void)[] = [];
  const topicOf = new Map<string, string>();

  subscriber.on('message', (channel: string, payload: string) => {
    try {
      if (channel === keys.control) {
        const message = JSON.parse(payload) as ControlMessage;
        for (const handler of controlHandlers) handler(message);
        return;
      }
      const topic = topicOf.get(channel);
      const deliver = topic === undefined ? undefined : listeners.get(topic);
      if (!deliver || topic === undefined) return;
      if (payload.startsWith('e')) {
        const bar = payload.indexOf('|');
        const { event, data } = JSON.parse(payload.slice(bar + 1)) as { event: string; data: unknown };
        deliver({ kind: 'event', topic, seq: Number(payload.slice(1, bar)), event, data });
      } else {
        const diff = JSON.parse(payload.slice(1)) as { joins?: PresenceState; leaves?: PresenceState };
        deliver({ kind: 'presence', topic, ...diff });
      }
    } catch (error) {
      onError(error, 'message');
    }
  });
  await subscriber.subscribe(keys.control);
  await redis.set(keys.epoch, randomUUID(), 'NX');
  const epoch = (await redis.get(keys.epoch)) ?? instanceId;

  const beat = () =>
    redis.set(keys.instance(instanceId), '1', 'PX', presenceTtlMs).catch((error) => onError(error, 'heartbeat'));
  await beat();
  const heartbeat = setInterval(beat, Math.max(50, Math.floor(presenceTtlMs / 3)));
  heartbeat.unref();

  // EVALSHA with a fallback to EVAL when Redis lost its script cache (restart, failover).
  if (typeof (redis as unknown as Record<string, unknown>)[PUBLISH_COMMAND] !== 'function') {
    redis.defineCommand(PUBLISH_COMMAND, { numberOfKeys: 3, lua: PUBLISH });
  }
  const publishScript = (redis as unknown as Record<string, (...args: string[]) => Promise<unknown>>)[
    PUBLISH_COMMAND
  ]!.bind(redis);

  const publishDiff = (topic: string, diff: { joins?: PresenceState; leaves?: PresenceState }) =>
    redis.publish(keys.channel(topic), `p${JSON.stringify(diff)}`);

  // Removes the entries of instances whose heartbeat expired; HDEL's count makes exactly one
  // sweeping instance announce each leave.
  const sweep = async (topic: string) => {
    const entries = await redis.hgetall(keys.presence(topic));
    const refs = Object.keys(entries);
    const owners = [...new Set(refs.map((ref) => ref.split('.')[0]!))].filter((id) => id !== instanceId);
    if (owners.length === 0) return;
    const alive = await redis.mget(owners.map(keys.instance));
    const dead = new Set(owners.filter((_, index) => alive[index] === null));
    for (const ref of refs) {
      if (!dead.has(ref.split('.')[0]!)) continue;
      if ((await redis.hdel(keys.presence(topic), ref)) === 0) continue;
      const { key, meta } = JSON.parse(entries[ref]!) as { key: string; meta: PresenceMeta };
      await publishDiff(topic, { leaves: { [key]: [meta] } });
    }
  };
  const sweeper = setInterval(
    () => {
      for (const topic of listeners.keys()) sweep(topic).catch((error) => onError(error, 'presence sweep'));
    },
    Math.max(50, Math.floor(presenceTtlMs / 2)),
  );
  sweeper.unref();

  return {
    instanceId,
    epoch,
    async publish(topic, event, data) {
      const keysAndArgs = [keys.seq(topic), keys.stream(topic), keys.channel(topic)];
      const args = [JSON.stringify({ event, data }), String(historySize), String(historyTtlMs)];
      return Number(await publishScript(...keysAndArgs, ...args));
    },
    async listen(topic, deliver) {
      listeners.set(topic, deliver);
      topicOf.set(keys.channel(topic), topic);
      await subscriber.subscribe(keys.channel(topic));
    },
    async unlisten(topic) {
      listeners.delete(topic);
      topicOf.delete(keys.channel(topic));
      await subscriber.unsubscribe(keys.channel(topic));
    },
    async lastSeq(topic) {
      return Number((await redis.get(keys.seq(topic))) ?? 0);
    },
    async since(topic, seq) {
      const result = await redis
        .multi()
        .get(keys.seq(topic))
        .xrange(keys.stream(topic), `${seq + 1}-0`, '+')
        .exec();
      const [[seqError, lastRaw] = [], [rangeError, range] = []] = result ?? [];
      if (seqError || rangeError) throw seqError ?? rangeError;
      const last = Number(lastRaw ?? 0);
      if (seq === last) return [];
      const entries = range as [string, string[]][];
      const first = entries[0] ? Number(entries[0][0].split('-')[0]) : undefined;
      if (seq > last || first !== seq + 1) return 'too-old';
      return entries.map(([id, fields]): SequencedEvent => {
        const { event, data } = JSON.parse(fields[1]!) as { event: string; data: unknown };
        return { topic, seq: Number(id.split('-')[0]), event, data };
      });
    },
    async presenceJoin(topic, key, meta) {
      await redis.hset(keys.presence(topic), meta.ref, JSON.stringify({ key, meta }));
      await publishDiff(topic, { joins: { [key]: [meta] } });
    },
    async presenceLeave(topic, key, ref) {
      const entry = await redis.hget(keys.presence(topic), ref);
      if (entry === null || (await redis.hdel(keys.presence(topic), ref)) === 0) return;
      await publishDiff(topic, { leaves: { [key]: [(JSON.parse(entry) as { meta: PresenceMeta }).meta] } });
    },
    async presenceList(topic) {
      await sweep(topic);
      const entries = await redis.hgetall(keys.presence(topic));
      return groupPresence(Object.values(entries).map((raw) => JSON.parse(raw) as { key: string; meta: PresenceMeta }));
    },
    async control(message) {
      await redis.publish(keys.control, JSON.stringify(message));
    },
    onControl(handler) {
      controlHandlers.push(handler);
    },
    async close() {
      clearInterval(heartbeat);
      clearInterval(sweeper);
      listeners.clear();
      subscriber.disconnect();
      await redis.del(keys.instance(instanceId)).catch((error) => onError(error, 'close'));
    },
  };
}
