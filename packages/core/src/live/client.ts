import type { Clock } from '../dependencies/clock.js';
import type { Dispatch, Effect, EffectId } from '../effect/effect.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { applyPresenceDiff } from './presence.js';
import { isFinalClose, type ClientFrame, type PresenceState, type ServerFrame } from './protocol.js';

/** What the UI shows; `retrying.inMs` is the wait before the next attempt. */
export type ConnectionState =
  | { readonly status: 'connecting' }
  | { readonly status: 'open' }
  | { readonly status: 'retrying'; readonly inMs: number }
  | { readonly status: 'offline' }
  | { readonly status: 'closed'; readonly code?: number };

/** Everything the connection tells the store, mapped to the app's actions by `connect`. */
export type LiveEvent =
  | { readonly type: 'connection'; readonly state: ConnectionState }
  | { readonly type: 'joined'; readonly topic: string; readonly seq: number }
  | { readonly type: 'joinFailed'; readonly topic: string; readonly reason: string }
  /** Events were missed beyond the server's history: reload the channel's data. */
  | { readonly type: 'refetch'; readonly topic: string }
  | {
      readonly type: 'event';
      readonly topic: string;
      readonly event: string;
      readonly data: unknown;
      readonly seq: number;
    }
  | { readonly type: 'presence'; readonly topic: string; readonly presence: PresenceState }
  | { readonly type: 'ack'; readonly id: string; readonly ok: true; readonly data?: unknown }
  | { readonly type: 'ack'; readonly id: string; readonly ok: false; readonly reason: string };

/** The part of the browser's WebSocket the client uses; a fake one drives tests. */
export interface LiveSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((message: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
}

export interface OnlineSource {
  isOnline(): boolean;
  /** Calls back on each change; returns the unsubscribe. */
  watch(onChange: () => void): () => void;
}

export interface LiveClientOptions {
  /** e.g. `wss://blog.example.com/live` (or a path, resolved against the page's origin). */
  readonly url: string;
  readonly transport?: (url: string) => LiveSocket;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly backoff?: BackoffOptions;
  /** Pushes kept while disconnected; a push beyond it is refused with reason `outbox_full`. Default 100. */
  readonly outboxSize?: number;
  /** An access token, for apps without a session cookie; sent as the first frame. */
  readonly token?: () => string | undefined;
  /** Default: `navigator.onLine` and the window's online/offline events. */
  readonly online?: OnlineSource;
  /** Client ping interval; no frame from the server for twice this means a dead link. Default 25 s. */
  readonly heartbeatMs?: number;
}

interface ChannelState {
  seq: number | undefined;
  epoch: string | undefined;
  joined: boolean;
  presence: PresenceState;
}

interface Pending {
  readonly frame: Extract<ClientFrame, { type: 'push' }>;
  sent: boolean;
}

export interface LiveClient {
  /** The connection as a store subscription: opens it, keeps it up, feeds every event to `toAction`. */
  connect<A>(toAction: (event: LiveEvent) => A, id?: EffectId): Effect<A>;
  /** Joins now or as soon as the socket is open, and again after each reconnect from the last sequence. */
  join(topic: string): Effect<never>;
  leave(topic: string): Effect<never>;
  /**
   * Sends a message on a joined channel (refused with `not_joined` on any other). `id` (e.g. from the `uuid` dependency) is the ack's id and
   * makes the retry after a reconnect safe: the server runs each id once.
   */
  push(topic: string, event: string, data: unknown, id: string): Effect<never>;
  readonly state: ConnectionState;
}

const IN_PROGRESS_RETRY_MS = 1000;

const fire = (run: () => void): Effect<never> => ({ kind: 'fireAndForget', run });

function browserOnline(): OnlineSource {
  return {
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    watch(onChange) {
      if (typeof addEventListener !== 'function') return () => {};
      addEventListener('online', onChange);
      addEventListener('offline', onChange);
      return () => {
        removeEventListener('online', onChange);
        removeEventListener('offline', onChange);
      };
    },
  };
}

/**
 * The browser end of `/live`: one socket, reconnected with capped full-jitter back-off (paused
 * while the browser is offline), channels resumed from their last sequence, pushes kept in a
 * bounded outbox until acknowledged and resent with their id after a reconnect.
 */
export function createLiveClient(options: LiveClientOptions): LiveClient {
  // A path is resolved against the page, http(s) becoming ws(s).
  const transport =
    options.transport ??
    ((url: string) => new WebSocket(new URL(url, location.href.replace(/^http/, 'ws'))) as unknown as LiveSocket);
  const clock = options.clock ?? {
    now: () => Date.now(),
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const random = options.random ?? Math.random;
  const online = options.online ?? browserOnline();
  const outboxSize = options.outboxSize ?? 100;
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const channels = new Map<string, ChannelState>();
  const joinRefs = new Map<string, string>();
  let outbox: Pending[] = [];
  let socket: LiveSocket | undefined;
  let emit: Dispatch<LiveEvent> | undefined;
  let state: ConnectionState = { status: 'closed' };
  let attempt = 0;
  let retryTimer: unknown;
  let beatTimer: unknown;
  let lastHeard = 0;
  let nextRef = 0;
  let unwatch: (() => void) | undefined;
  const askAgain = new Set<unknown>();

  const setState = (next: ConnectionState) => {
    state = next;
    emit?.({ type: 'connection', state });
  };
  const send = (frame: ClientFrame) => socket?.send(JSON.stringify(frame));
  const isOpen = () => state.status === 'open';

  const sendJoin = (topic: string, channel: ChannelState) => {
    const ref = `j${++nextRef}`;
    joinRefs.set(ref, topic);
    const resume = channel.seq === undefined ? {} : { since: channel.seq, epoch: channel.epoch };
    send({ type: 'join', ref, topic, ...resume });
  };

  // In order, per channel once it is joined: a push must reach a channel the server has joined.
  const flush = (topic: string) => {
    for (const pending of outbox) {
      if (pending.frame.topic !== topic) continue;
      pending.sent = true;
      send(pending.frame);
    }
  };

  const ack = (pending: Pending, reply: Extract<ServerFrame, { type: 'reply' }>) => {
    outbox = outbox.filter((entry) => entry !== pending);
    const id = pending.frame.ref;
    emit?.(
      reply.ok ? { type: 'ack', id, ok: true, data: reply.data } : { type: 'ack', id, ok: false, reason: reply.reason },
    );
  };

  const onReply = (reply: Extract<ServerFrame, { type: 'reply' }>) => {
    const topic = joinRefs.get(reply.ref);
    if (topic !== undefined) {
      joinRefs.delete(reply.ref);
      const channel = channels.get(topic);
      if (!channel) return;
      if (!reply.ok) {
        channels.delete(topic);
        for (const pending of outbox.filter((entry) => entry.frame.topic === topic)) ack(pending, reply);
        return emit?.({ type: 'joinFailed', topic, reason: reply.reason });
      }
      channel.seq = reply.seq ?? 0;
      channel.epoch = reply.epoch;
      channel.joined = true;
      emit?.({ type: 'joined', topic, seq: channel.seq });
      if (reply.refetch) emit?.({ type: 'refetch', topic });
      return flush(topic);
    }
    const pending = outbox.find((entry) => entry.frame.ref === reply.ref);
    if (!pending) return;
    if (reply.ok || reply.reason !== 'in_progress') return ack(pending, reply);
    // Still running on the server (this retry raced the original): ask again in a while.
    const timer = clock.setTimeout(() => {
      askAgain.delete(timer);
      if (outbox.includes(pending) && channels.get(pending.frame.topic)?.joined) send(pending.frame);
    }, IN_PROGRESS_RETRY_MS);
    askAgain.add(timer);
  };

  const onFrame = (raw: unknown) => {
    lastHeard = clock.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(raw)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'reply') return onReply(frame);
    if (frame.type !== 'event' && frame.type !== 'presence') return;
    const channel = channels.get(frame.topic);
    if (!channel?.joined) return;
    if (frame.type === 'event') {
      if (channel.seq !== undefined && frame.seq <= channel.seq) return;
      channel.seq = frame.seq;
      return emit?.({ type: 'event', topic: frame.topic, event: frame.event, data: frame.data, seq: frame.seq });
    }
    channel.presence = frame.state ?? applyPresenceDiff(channel.presence, frame.joins, frame.leaves);
    emit?.({ type: 'presence', topic: frame.topic, presence: channel.presence });
  };

  const heartbeat = () => {
    if (!isOpen()) return;
    if (clock.now() - lastHeard > 2 * heartbeatMs) return dropped(1006);
    send({ type: 'ping' });
    beatTimer = clock.setTimeout(heartbeat, heartbeatMs);
  };

  const detach = () => {
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.close();
    socket = undefined;
  };

  function dropped(code: number) {
    detach();
    clock.clearTimeout(beatTimer);
    joinRefs.clear();
    for (const channel of channels.values()) channel.joined = false;
    for (const pending of outbox) pending.sent = false;
    if (!emit) return;
    if (isFinalClose(code)) return setState({ status: 'closed', code });
    if (!online.isOnline()) return setState({ status: 'offline' });
    const inMs = backoffDelay(attempt++, random, options.backoff);
    setState({ status: 'retrying', inMs });
    retryTimer = clock.setTimeout(open, inMs);
  }

  function open() {
    if (!emit) return;
    if (!online.isOnline()) return setState({ status: 'offline' });
    setState({ status: 'connecting' });
    const token = options.token?.();
    let current: LiveSocket;
    try {
      current = transport(token ? `${options.url}${options.url.includes('?') ? '&' : '?'}auth=token` : options.url);
    } catch {
      // The constructor refused (a blocked or malformed URL): treated as a failed attempt.
      return dropped(1006);
    }
    socket = current;
    current.onopen = () => {
      if (token) send({ type: 'auth', token });
      attempt = 0;
      lastHeard = clock.now();
      setState({ status: 'open' });
      for (const [topic, channel] of channels) sendJoin(topic, channel);
      beatTimer = clock.setTimeout(heartbeat, heartbeatMs);
    };
    current.onmessage = (message) => onFrame(message.data);
    current.onclose = (event) => dropped(event.code);
  }

  const onOnlineChange = () => {
    if (!online.isOnline()) {
      clock.clearTimeout(retryTimer);
      // A socket rarely notices a lost network before its heartbeat does (up to two beats): the
      // browser's word is taken at once, and the channels resume from their sequence when back.
      if (socket) dropped(1006);
      else setState({ status: 'offline' });
    } else if (!socket && emit) {
      clock.clearTimeout(retryTimer);
      attempt = 0;
      open();
    }
  };

  return {
    get state() {
      return state;
    },
    connect(toAction, id = 'live') {
      return {
        kind: 'subscription',
        id,
        start: (dispatch) => {
          emit = (event) => dispatch(toAction(event));
          unwatch = online.watch(onOnlineChange);
          open();
          return () => {
            emit = undefined;
            unwatch?.();
            clock.clearTimeout(retryTimer);
            clock.clearTimeout(beatTimer);
            for (const timer of askAgain) clock.clearTimeout(timer);
            askAgain.clear();
            detach();
            state = { status: 'closed' };
          };
        },
      };
    },
    join: (topic) =>
      fire(() => {
        if (channels.has(topic)) return;
        const channel: ChannelState = { seq: undefined, epoch: undefined, joined: false, presence: {} };
        channels.set(topic, channel);
        if (isOpen()) sendJoin(topic, channel);
      }),
    leave: (topic) =>
      fire(() => {
        if (!channels.delete(topic)) return;
        if (isOpen()) send({ type: 'leave', ref: `l${++nextRef}`, topic });
      }),
    push: (topic, event, data, id) =>
      fire(() => {
        const frame = { type: 'push', ref: id, topic, event, data } as const;
        // Only joined (or joining) channels: nothing would ever flush a push to any other.
        if (!channels.has(topic)) return emit?.({ type: 'ack', id, ok: false, reason: 'not_joined' });
        if (outbox.length >= outboxSize) return emit?.({ type: 'ack', id, ok: false, reason: 'outbox_full' });
        const pending: Pending = { frame, sent: false };
        outbox.push(pending);
        if (isOpen() && channels.get(topic)?.joined) {
          pending.sent = true;
          send(frame);
        }
      }),
  };
}
