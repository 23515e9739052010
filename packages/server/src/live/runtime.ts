import type { FastifyBaseLogger } from 'fastify';
import type { Principal } from '../auth/principal.js';
import type { LiveBackend } from './backend.js';
import type { Channel } from './channel.js';
import type { PushDedupe } from './dedupe.js';
import type { LiveHub } from './hub.js';
import type { LiveMetrics } from './live-metrics.js';

/** Bounds of the live endpoint (LIVE_* settings). */
export interface LiveLimits {
  /** Channels one socket may have joined at once. */
  readonly maxSubscriptions: number;
  /** Largest frame accepted; a larger one closes the socket with 1009. */
  readonly maxMessageBytes: number;
  /** Frames per second per socket (a burst of as many is allowed); more closes with 4029. */
  readonly messagesPerSecond: number;
  /** Unsent bytes a socket may have queued before it is closed as a slow consumer (4008). */
  readonly maxBufferedBytes: number;
  /** Ping interval; a peer that has not answered the previous ping by the next is dropped. */
  readonly heartbeatMs: number;
  /** How long a socket that upgraded to send an access token has to send it (else 4001). */
  readonly authDeadlineMs: number;
  /** Events kept per channel for resuming. */
  readonly historySize: number;
  /** With Redis: an unused channel's history is dropped after this long. */
  readonly historyTtlMs: number;
  /** With Redis: an instance silent this long is dead and its presence entries are removed. */
  readonly presenceTtlMs: number;
  /** Upgrades per client address per minute. */
  readonly upgradesPerMinute: number;
  /** How long a push id is remembered for deduplicating retries. */
  readonly ackTtlMs: number;
}

export const LIVE_LIMIT_DEFAULTS: LiveLimits = {
  maxSubscriptions: 50,
  maxMessageBytes: 16_384,
  messagesPerSecond: 50,
  maxBufferedBytes: 1_048_576,
  heartbeatMs: 25_000,
  authDeadlineMs: 5_000,
  historySize: 200,
  historyTtlMs: 86_400_000,
  presenceTtlMs: 15_000,
  upgradesPerMinute: 120,
  ackTtlMs: 600_000,
};

/** What every connection shares. */
export interface LiveRuntime {
  readonly channels: readonly Channel[];
  readonly backend: LiveBackend;
  readonly hub: LiveHub;
  readonly dedupe: PushDedupe;
  readonly limits: LiveLimits;
  readonly metrics: LiveMetrics;
  readonly log: FastifyBaseLogger;
  readonly verifyAccessToken: ((token: string) => Promise<Principal | undefined>) | undefined;
}
