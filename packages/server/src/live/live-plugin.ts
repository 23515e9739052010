import type { Duplex } from 'node:stream';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { CloseCode, type PresenceState } from '@composable-svelte/core/live';
import type { Authenticator, Principal } from '../auth/principal.js';
import { HttpError } from '../errors/http-error.js';
import { createRedisSlidingWindowLimiter } from '../security/rate-limit/redis-sliding-window.js';
import { createSlidingWindowLimiter } from '../security/rate-limit/sliding-window.js';
import { redisReady } from '../stores/redis-ready.js';
import type { ControlMessage, LiveBackend } from './backend.js';
import { isTopic, type Channel } from './channel.js';
import { LiveConnection } from './connection.js';
import { createMemoryDedupe, createRedisDedupe } from './dedupe.js';
import { createHub } from './hub.js';
import { createLiveMetrics } from './live-metrics.js';
import { createMemoryBackend } from './memory-backend.js';
import { allowedOrigin, originsFrom } from './origin.js';
import { createRedisBackend } from './redis-backend.js';
import { LIVE_LIMIT_DEFAULTS, type LiveLimits, type LiveRuntime } from './runtime.js';
import { wireOf } from './wire-frame.js';

export interface LiveOptions {
  readonly channels: readonly Channel[];
  /** Tried in order at the upgrade (session cookie, bearer token…); the first principal wins. */
  readonly authenticators?: readonly Authenticator[];
  /**
   * Lets a client without a cookie upgrade with `?auth=token` and send `{ type: 'auth', token }`
   * as its first frame within LIVE_AUTH_DEADLINE_MS (browsers cannot set headers on a WebSocket).
   */
  readonly verifyAccessToken?: (token: string) => Promise<Principal | undefined>;
  /** Upgrades without any credential are accepted; they may join only `anonymous` channels. */
  readonly allowAnonymous?: boolean;
  /** Default '/live'. */
  readonly path?: string;
  /** Allowed Origins; default PUBLIC_URL's origin plus CORS_ORIGINS. */
  readonly origins?: readonly string[];
  /** Default `fastify.redis` (REDIS_URL); `null` keeps everything in this process. */
  readonly redis?: Redis | null;
  /** Prefix of the Redis keys and channels; default REDIS_KEY_PREFIX + 'live:'. */
  readonly keyPrefix?: string;
  /** Default: the LIVE_* settings, else {@link LIVE_LIMIT_DEFAULTS}. */
  readonly limits?: Partial<LiveLimits>;
}

/** `fastify.live`: the server side of every channel. */
export interface LiveServer {
  /** Sends `event` to every subscriber of `topic` on every instance; resolves to its sequence. */
  publish(topic: string, event: string, data?: unknown): Promise<number>;
  /** Closes (4003) every socket of this viewer or session, on every instance: call it on revocation. */
  disconnect(target: { readonly viewerId?: number; readonly sessionId?: string }): Promise<void>;
  presence(topic: string): Promise<PresenceState>;
  /** Open sockets on this instance. */
  readonly connections: number;
  /** Closes every socket with 1001 (going away); the drain calls it, so do `close()` and `shutdown()`. */
  goingAway(): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveServer;
  }
}

async function livePlugin(fastify: FastifyInstance, options: LiveOptions): Promise<void> {
  const config = fastify.hasDecorator('config') ? fastify.config : undefined;
  const limits: LiveLimits = { ...LIVE_LIMIT_DEFAULTS, ...config?.live, ...options.limits };
  const redis =
    options.redis === undefined ? (fastify.hasDecorator('redis') ? fastify.redis : undefined) : options.redis;
  const keyPrefix = options.keyPrefix ?? `${config?.redisKeyPrefix ?? 'cs:'}live:`;
  const origins = options.origins
    ? new Set(options.origins)
    : originsFrom(config?.publicUrl ?? 'http://localhost', config?.cors.origins ?? []);
  const registry = fastify.hasDecorator('metrics') ? fastify.metrics.registry : new Registry();
  const metrics = createLiveMetrics(registry);
  const onError = (error: unknown, what = 'backend') => fastify.log.error({ err: error }, `live: ${what} failed`);

  let backend: LiveBackend;
  if (redis) {
    if (!(await redisReady(redis, 5000))) throw new Error('live: Redis is not reachable (REDIS_URL)');
    backend = await createRedisBackend({ redis, keyPrefix, ...limits, onError });
  } else {
    if ((config?.workers ?? 1) > 1) {
      // Each worker would be its own island: a publish would reach only the sockets of one.
      fastify.log.warn('live: WEB_CONCURRENCY is above 1 without REDIS_URL; channels are not shared between workers');
    }
    backend = createMemoryBackend({ historySize: limits.historySize });
  }
  const hub = createHub(backend, metrics, onError);
  const dedupe = redis
    ? createRedisDedupe({ redis, keyPrefix, ttlMs: limits.ackTtlMs })
    : createMemoryDedupe({ ttlMs: limits.ackTtlMs, max: 100_000 });
  const runtime: LiveRuntime = {
    channels: options.channels,
    backend,
    hub,
    dedupe,
    limits,
    metrics,
    log: fastify.log,
    verifyAccessToken: options.verifyAccessToken,
  };
  const connections = new Set<LiveConnection>();
  let nextRef = 0;
  let stopping = false;

  backend.onControl((message: ControlMessage) => {
    if (message.kind !== 'disconnect') return;
    for (const connection of connections) if (connection.belongsTo(message)) connection.close(CloseCode.revoked);
  });

  const heartbeat = setInterval(() => {
    for (const connection of connections) connection.ping();
  }, limits.heartbeatMs);
  heartbeat.unref();

  const upgradeLimiter = redis
    ? createRedisSlidingWindowLimiter({
        client: redis,
        max: limits.upgradesPerMinute,
        windowMs: 60_000,
        keyPrefix: `${keyPrefix}rl:`,
      })
    : createSlidingWindowLimiter({ max: limits.upgradesPerMinute, windowMs: 60_000 });

  const goingAway = () => {
    stopping = true;
    for (const connection of connections) connection.close(CloseCode.goingAway);
  };

  await fastify.register(websocket, {
    // No compression: broadcasts are framed once and written as they are to every socket (wire-frame.ts).
    options: { maxPayload: limits.maxMessageBytes, perMessageDeflate: false },
    // Socket errors are the client's doing (a frame over the limit, a bad close code, a reset):
    // ws has already sent the close code when it can, so this is no server error.
    errorHandler: (error, socket) => {
      fastify.log.debug({ err: error }, 'live: socket error');
      socket.terminate();
    },
    // Sockets are told to go away (1001) rather than dropped, so clients reconnect elsewhere.
    preClose: (done) => {
      goingAway();
      done();
    },
  });

  // Runs before the upgrade: every refusal is a plain HTTP answer and no socket is opened.
  const admit = async (request: FastifyRequest, reply: FastifyReply) => {
    if (stopping) throw new HttpError(503, 'SHUTTING_DOWN', 'The server is shutting down');
    if (!allowedOrigin(request.headers.origin, origins)) {
      throw new HttpError(403, 'ORIGIN_NOT_ALLOWED', 'This origin may not open a live connection');
    }
    const hit = await Promise.resolve(upgradeLimiter.hit(request.ip)).catch((error: unknown) => {
      onError(error, 'upgrade rate limit');
      return { allowed: true, resetMs: 0 };
    });
    if (!hit.allowed) {
      reply.header('retry-after', String(Math.max(1, Math.ceil(hit.resetMs / 1000))));
      throw new HttpError(429, 'RATE_LIMITED', 'Too many live connections from this address');
    }
    let principal: Principal | undefined;
    for (const authenticate of options.authenticators ?? []) {
      principal = await authenticate(request);
      if (principal) break;
    }
    const tokenLater = !principal && options.verifyAccessToken !== undefined && isTokenUpgrade(request);
    if (!principal && !tokenLater && !options.allowAnonymous) {
      throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to open a live connection');
    }
    liveAdmission.set(request, { principal, awaitingToken: tokenLater });
  };

  const liveAdmission = new WeakMap<FastifyRequest, { principal: Principal | undefined; awaitingToken: boolean }>();

  fastify.get(
    options.path ?? '/live',
    { websocket: true, preValidation: admit, config: { rateLimit: false } },
    (socket, request) => {
      const admission = liveAdmission.get(request) ?? { principal: undefined, awaitingToken: false };
      const connection = new LiveConnection(socket, runtime, {
        ref: `${backend.instanceId}.${++nextRef}`,
        ...admission,
        wire: wireOf(socket, request.raw.socket as Duplex | undefined),
      });
      connections.add(connection);
      metrics.connections.set(connections.size);
      socket.on('close', () => {
        connections.delete(connection);
        metrics.connections.set(connections.size);
      });
      if (stopping) connection.close(CloseCode.goingAway);
    },
  );

  const live: LiveServer = {
    async publish(topic, event, data) {
      if (!isTopic(topic)) throw new TypeError(`live.publish: "${topic}" is not a topic`);
      return backend.publish(topic, event, data ?? null);
    },
    disconnect: (target) => backend.control({ kind: 'disconnect', ...target }),
    presence: (topic) => backend.presenceList(topic),
    get connections() {
      return connections.size;
    },
    goingAway,
  };
  fastify.decorate('live', live);
  if (fastify.hasDecorator('drainStarting')) fastify.drainStarting.push(goingAway);

  fastify.addHook('onClose', async () => {
    clearInterval(heartbeat);
    if ('close' in upgradeLimiter) upgradeLimiter.close();
    const leaving = [...connections];
    await waitForSockets(connections, 2000);
    await Promise.all(leaving.map((connection) => connection.left));
    await backend.close();
  });
}

function isTokenUpgrade(request: FastifyRequest): boolean {
  return (request.query as Record<string, unknown> | undefined)?.auth === 'token';
}

/** Lets the close handshakes (and their presence leaves) finish before the backend goes. */
async function waitForSockets(connections: Set<LiveConnection>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (connections.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** The live endpoint; see LiveOptions and the README section "Live". */
export const live = fp(livePlugin, { name: '@composable-svelte/live', fastify: '5.x' });
