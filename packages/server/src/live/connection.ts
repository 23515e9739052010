import type { Duplex } from 'node:stream';
import { CloseCode, type PresenceMeta } from '@composable-svelte/core/live';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import { findChannel, isTopic, type Channel, type ChannelContext } from './channel.js';
import type { PushOutcome } from './dedupe.js';
import { parseClientFrame, type ValidClientFrame } from './frames.js';
import type { Frame, Subscriber } from './hub.js';
import type { LiveRuntime } from './runtime.js';
import type { EncodedFrame } from './wire-frame.js';

type JoinFrame = Extract<ValidClientFrame, { type: 'join' }>;
type PushFrame = Extract<ValidClientFrame, { type: 'push' }>;

interface Subscription {
  readonly channel: Channel;
  readonly context: ChannelContext<Record<string, string>>;
  /** Last sequence sent on this topic; later events only. */
  lastSeq: number;
  /** While joining, what arrives is held here and sent after the join's reply and missed events. */
  held: { seq: number | undefined; frame: Frame }[] | undefined;
  presenceKey: string | undefined;
  joined: boolean;
}

/** The reason sent with each close code the server itself uses, for whoever reads the close frame. */
const REASONS: Record<number, string> = {
  [CloseCode.goingAway]: 'going away',
  [CloseCode.unsupportedData]: 'binary frames are not accepted',
  [CloseCode.authFailed]: 'authentication failed',
  [CloseCode.revoked]: 'revoked',
  [CloseCode.slowConsumer]: 'slow consumer',
  [CloseCode.rateLimited]: 'too many messages',
};

/** How long a socket closed by the server may take to finish the close handshake. */
const CLOSE_GRACE_MS = 2000;

/**
 * One socket: every inbound frame is parsed and validated, and every failure is answered (error
 * reply) or ends the socket with a documented close code; nothing a client sends can throw out of
 * here. Outbound frames go through `send`, which enforces the buffered-bytes bound.
 */
export class LiveConnection implements Subscriber {
  readonly ref: string;
  principal: Principal | undefined;
  /** Sent a pong since the last ping. */
  alive = true;
  /** Resolves once the leaves of a closed socket (presence removal, onLeave) are done. */
  left: Promise<unknown> = Promise.resolve();
  private readonly subscriptions = new Map<string, Subscription>();
  private awaitingToken: boolean;
  private authTimer: NodeJS.Timeout | undefined;
  private tokens: number;
  private refilledAt = performance.now();
  private closed = false;
  private readonly queues = new Map<string, Promise<void>>();
  /** The stream under `socket`, when encoded frames may be written to it directly (see wireOf). */
  private readonly wire: Duplex | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly runtime: LiveRuntime,
    options: { ref: string; principal: Principal | undefined; awaitingToken: boolean; wire: Duplex | undefined },
  ) {
    this.ref = options.ref;
    this.wire = options.wire;
    this.principal = options.principal;
    this.awaitingToken = options.awaitingToken;
    this.tokens = runtime.limits.messagesPerSecond;
    if (this.awaitingToken) {
      this.authTimer = setTimeout(() => this.close(CloseCode.authFailed), runtime.limits.authDeadlineMs);
    }
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => this.cleanup());
  }

  /** Matches `live.disconnect({ viewerId, sessionId })`. */
  belongsTo(target: { viewerId?: number; sessionId?: string }): boolean {
    const principal = this.principal;
    if (!principal) return false;
    if (target.sessionId !== undefined && principal.sessionId === target.sessionId) return true;
    return target.viewerId !== undefined && principal.viewer.id === target.viewerId;
  }

  deliverEvent(topic: string, seq: number, frame: EncodedFrame): boolean {
    const subscription = this.subscriptions.get(topic);
    if (!subscription) return false;
    if (subscription.held) subscription.held.push({ seq, frame });
    else if (seq > subscription.lastSeq) {
      subscription.lastSeq = seq;
      return this.write(frame);
    }
    return false;
  }

  deliverPresence(topic: string, frame: EncodedFrame): boolean {
    const subscription = this.subscriptions.get(topic);
    if (!subscription) return false;
    if (subscription.held) subscription.held.push({ seq: undefined, frame });
    else if (subscription.joined) return this.write(frame);
    return false;
  }

  ping(): void {
    if (!this.alive) {
      this.runtime.log.debug({ ref: this.ref }, 'live: peer missed a heartbeat; dropped');
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  close(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.runtime.metrics.closes.inc({ code: String(code) });
    this.socket.close(code, REASONS[code] ?? '');
    // A peer that never answers the close frame (stuck, or not reading) is cut off.
    setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Sends one serialized frame and counts it. */
  send(frame: Frame): void {
    if (this.write(frame)) this.runtime.metrics.messagesOut.inc();
  }

  /**
   * Writes one frame, or drops the socket when the client is not reading; says whether it was
   * written. A broadcast runs it once per subscriber with one shared frame: it must stay cheap.
   */
  private write(frame: Frame): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.runtime.limits.maxBufferedBytes) {
      this.runtime.metrics.slowConsumers.inc();
      this.runtime.log.warn({ ref: this.ref }, 'live: slow consumer disconnected');
      this.close(CloseCode.slowConsumer);
      return false;
    }
    if (typeof frame === 'string') this.socket.send(frame);
    else if (this.wire?.writable) this.wire.write(frame.wire);
    else this.socket.send(frame.text);
    return true;
  }

  private reply(ref: string, outcome: PushOutcome | ({ ok: true } & Record<string, unknown>)): void {
    this.send(JSON.stringify({ type: 'reply', ref, ...outcome }));
  }

  private error(reason: string): void {
    this.send(JSON.stringify({ type: 'error', reason }));
  }

  private takeToken(): boolean {
    const now = performance.now();
    const rate = this.runtime.limits.messagesPerSecond;
    this.tokens = Math.min(rate, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private receive(data: unknown, isBinary: boolean): void {
    if (this.closed) return;
    this.runtime.metrics.messagesIn.inc();
    if (isBinary) return this.close(CloseCode.unsupportedData);
    if (!this.takeToken()) return this.close(CloseCode.rateLimited);
    const frame = parseClientFrame(String(data));
    if ('error' in frame) return this.error(frame.error);
    const run = () =>
      this.handle(frame).catch((error: unknown) => {
        this.runtime.log.error({ err: error, ref: this.ref }, 'live: frame handling failed');
        if ('ref' in frame) this.reply(frame.ref, { ok: false, reason: 'internal' });
        else this.error('internal');
      });
    if (!('topic' in frame)) return void run();
    // Frames of one topic are handled one after the other, as sent: a push right behind its join
    // finds the channel joined, and two pushes are handled (and acknowledged) in order.
    const { topic } = frame;
    const next = (this.queues.get(topic) ?? Promise.resolve()).then(run);
    this.queues.set(topic, next);
    void next.then(() => {
      if (this.queues.get(topic) === next) this.queues.delete(topic);
    });
  }

  private async handle(frame: ValidClientFrame): Promise<void> {
    switch (frame.type) {
      case 'ping':
        return this.send('{"type":"pong"}');
      case 'auth':
        return this.authenticate(frame.token);
      case 'join':
        if (this.awaitingToken) return this.reply(frame.ref, { ok: false, reason: 'unauthenticated' });
        return this.join(frame);
      case 'leave':
        if (!this.subscriptions.has(frame.topic)) return this.reply(frame.ref, { ok: false, reason: 'not_joined' });
        await this.leave(frame.topic);
        return this.reply(frame.ref, { ok: true });
      case 'push':
        if (this.awaitingToken) return this.reply(frame.ref, { ok: false, reason: 'unauthenticated' });
        return this.push(frame);
    }
  }

  private async authenticate(token: string): Promise<void> {
    if (!this.awaitingToken) return this.error('already_authenticated');
    const principal = await this.runtime.verifyAccessToken?.(token).catch(() => undefined);
    if (this.closed) return;
    if (!principal) return this.close(CloseCode.authFailed);
    clearTimeout(this.authTimer);
    this.awaitingToken = false;
    this.principal = principal;
    this.send('{"type":"reply","ref":"auth","ok":true}');
  }

  private async join(frame: JoinFrame): Promise<void> {
    const { ref, topic } = frame;
    const refuse = (reason: string) => this.reply(ref, { ok: false, reason });
    if (!isTopic(topic)) return refuse('bad_topic');
    if (this.subscriptions.has(topic)) return refuse('already_joined');
    if (this.subscriptions.size >= this.runtime.limits.maxSubscriptions) return refuse('too_many_subscriptions');
    const found = findChannel(this.runtime.channels, topic);
    if (!found) return refuse('unknown_channel');
    const { channel, params } = found;
    if (!this.principal && !channel.options.anonymous) return refuse('unauthenticated');
    const context = { topic, params, principal: this.principal, ref: this.ref };
    const subscription: Subscription = {
      channel,
      context,
      lastSeq: 0,
      held: [],
      presenceKey: undefined,
      joined: false,
    };
    // Reserved before the first await, so two joins of one topic cannot both pass the checks.
    this.subscriptions.set(topic, subscription);
    const current = () => !this.closed && this.subscriptions.get(topic) === subscription;

    try {
      await this.completeJoin(frame, subscription, current);
    } catch (error) {
      // Whatever step failed (authorize threw, Redis away), nothing of the half-join may remain.
      if (current()) await this.leave(topic);
      throw error;
    }
  }

  private async completeJoin(frame: JoinFrame, subscription: Subscription, current: () => boolean): Promise<void> {
    const { ref, topic } = frame;
    const { channel, context } = subscription;
    const verdict = channel.options.authorize
      ? await channel.options.authorize(this.principal?.viewer, context.params, this.principal)
      : true;
    if (!current()) return;
    if (verdict !== true) {
      this.subscriptions.delete(topic);
      return this.reply(ref, { ok: false, reason: typeof verdict === 'string' && verdict ? verdict : 'forbidden' });
    }
    const { backend, hub } = this.runtime;
    await hub.add(topic, this);
    if (!current()) return hub.remove(topic, this);

    const missed = frame.since === undefined ? [] : await this.missedSince(topic, frame.since, frame.epoch);
    const seq = missed === 'too-old' || frame.since === undefined ? await backend.lastSeq(topic) : frame.since;
    if (!current()) return;
    subscription.lastSeq = seq;
    this.reply(ref, { ok: true, seq, epoch: backend.epoch, ...(missed === 'too-old' ? { refetch: true } : {}) });
    if (missed !== 'too-old') {
      for (const event of missed) this.deliverNow(subscription, event.seq, JSON.stringify({ type: 'event', ...event }));
    }

    const meta = channel.options.presence?.(context);
    if (meta) {
      const key = this.principal ? `user:${this.principal.viewer.id}` : `anon:${this.ref}`;
      subscription.presenceKey = key;
      await backend.presenceJoin(topic, key, { ...meta, ref: this.ref } as PresenceMeta);
      // A leave that ran while the entry was being written could not remove it yet.
      if (!current()) return backend.presenceLeave(topic, key, this.ref);
      const state = await backend.presenceList(topic);
      if (!current()) return;
      this.send(JSON.stringify({ type: 'presence', topic, state }));
    }
    const held = subscription.held ?? [];
    subscription.held = undefined;
    subscription.joined = true;
    for (const item of held) {
      if (item.seq === undefined) this.send(item.frame);
      else this.deliverNow(subscription, item.seq, item.frame);
    }
    await channel.options.onJoin?.(context);
  }

  private deliverNow(subscription: Subscription, seq: number, frame: Frame): void {
    if (seq <= subscription.lastSeq) return;
    subscription.lastSeq = seq;
    this.send(frame);
  }

  private async missedSince(topic: string, since: number, epoch: string | undefined) {
    if (epoch !== this.runtime.backend.epoch) return 'too-old' as const;
    return this.runtime.backend.since(topic, since);
  }

  private async leave(topic: string): Promise<void> {
    const subscription = this.subscriptions.get(topic);
    if (!subscription) return;
    this.subscriptions.delete(topic);
    this.runtime.hub.remove(topic, this);
    if (subscription.presenceKey) await this.runtime.backend.presenceLeave(topic, subscription.presenceKey, this.ref);
    if (subscription.joined) await subscription.channel.options.onLeave?.(subscription.context);
  }

  private async push(frame: PushFrame): Promise<void> {
    const { ref, topic, event, data } = frame;
    const subscription = this.subscriptions.get(topic);
    if (!subscription?.joined) return this.reply(ref, { ok: false, reason: 'not_joined' });
    const check = subscription.channel.checks.get(event);
    if (!check) return this.reply(ref, { ok: false, reason: 'unknown_message' });
    if (!check.Check(data)) {
      const first = check.Errors(data).First();
      return this.reply(ref, { ok: false, reason: `invalid: ${first?.path || '/'} ${first?.message ?? ''}`.trim() });
    }
    // Ids are the client's: scoped to the viewer so one cannot answer for another's.
    const id = `${this.principal ? this.principal.viewer.id : 'anon'}:${topic}:${ref}`;
    const { dedupe } = this.runtime;
    const claim = await dedupe.claim(id);
    if (claim === 'pending') return this.reply(ref, { ok: false, reason: 'in_progress' });
    if (claim !== 'new') return this.reply(ref, claim);
    let outcome: PushOutcome;
    try {
      const result = await subscription.channel.options.onMessage?.(subscription.context, { event, data });
      outcome = result === undefined ? { ok: true } : { ok: true, data: result };
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status !== 'number' || status >= 500) {
        await dedupe.release(id);
        throw error;
      }
      outcome = { ok: false, reason: (error as Error).message };
    }
    await dedupe.settle(id, outcome);
    this.reply(ref, outcome);
  }

  private cleanup(): void {
    this.closed = true;
    clearTimeout(this.authTimer);
    const leaves = [...this.subscriptions.keys()].map((topic) =>
      this.leave(topic).catch((error: unknown) =>
        this.runtime.log.error({ err: error, ref: this.ref }, 'live: leave on close failed'),
      ),
    );
    this.left = Promise.all(leaves);
  }
}
