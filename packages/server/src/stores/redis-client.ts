import { Redis } from 'ioredis';
import { describeConnectionUrl } from './describe-url.js';

/** The subset of pino (and Fastify's logger) this module writes to. */
export interface RedisLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RedisClientOptions {
  readonly logger?: RedisLogger;
  /** A command without reply after this long fails; default 500 ms. Bounds request latency. */
  readonly commandTimeoutMs?: number;
  /** Default 2000 ms. */
  readonly connectTimeoutMs?: number;
  /** Called once per transition (first connection included), for metrics. */
  readonly onStateChange?: (up: boolean) => void;
}

const MAX_RETRY_DELAY_MS = 2000;

/** 100 ms, 200 ms, 400 ms … capped at 2 s, forever: the app recovers by itself when Redis returns. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** Math.min(Math.max(attempt - 1, 0), 10));
}

/**
 * A client tuned for request-path use: commands fail fast instead of queueing while Redis is away
 * (no offline queue, one retry, a command timeout), and the connection is retried forever in the
 * background. Connection errors are logged once per state change, never thrown.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const { logger, commandTimeoutMs = 500, connectTimeoutMs = 2000, onStateChange } = options;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    retryStrategy: reconnectDelayMs,
    lazyConnect: false,
  });
  const redis = describeConnectionUrl(url, 'REDIS_URL');
  let state: 'connecting' | 'up' | 'down' = 'connecting';
  let lastError: unknown;

  const markDown = (): void => {
    if (state === 'down') return;
    const wasUp = state === 'up';
    state = 'down';
    onStateChange?.(false);
    logger?.warn(
      { redis, err: lastError },
      wasUp ? 'Redis connection lost; reconnecting in the background' : 'Redis unreachable; retrying in the background',
    );
  };

  // Without an 'error' listener, ioredis reports each failed attempt on its own; with one, nothing
  // escapes. Failed attempts are expected during an outage and are not news: remember the last.
  client.on('error', (error: unknown) => {
    lastError = error;
    markDown();
  });
  // 'reconnecting' (unlike 'close') means the loss was not asked for: quit() does not emit it.
  client.on('reconnecting', markDown);
  client.on('ready', () => {
    if (state === 'down') logger?.info({ redis }, 'Redis connection restored');
    if (state !== 'up') onStateChange?.(true);
    state = 'up';
    lastError = undefined;
  });
  return client;
}

/** 'up' only when commands can be sent now; connecting and reconnecting count as down. */
export function redisStatus(client: Redis): 'up' | 'down' {
  return client.status === 'ready' ? 'up' : 'down';
}
