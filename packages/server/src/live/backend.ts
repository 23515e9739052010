import type { PresenceMeta, PresenceState } from '@composable-svelte/core/live';

/** A published channel event with the sequence number its channel gave it. */
export interface SequencedEvent {
  readonly topic: string;
  readonly seq: number;
  readonly event: string;
  readonly data: unknown;
}

/** What travels on a topic between instances: an event, or a presence diff. */
export type TopicMessage =
  | ({ readonly kind: 'event' } & SequencedEvent)
  | {
      readonly kind: 'presence';
      readonly topic: string;
      readonly joins?: PresenceState;
      readonly leaves?: PresenceState;
    };

/** Instance-wide orders, e.g. "close every socket of this session" after a sign-out. */
export interface ControlMessage {
  readonly kind: 'disconnect';
  readonly viewerId?: number;
  readonly sessionId?: string;
}

/**
 * Where sequences, history, presence and fan-out live: in this process (one instance) or in Redis
 * (any number of instances). The hub listens to a topic while it has local subscribers.
 */
export interface LiveBackend {
  /** Unique per process; the prefix of every presence ref this instance hands out. */
  readonly instanceId: string;
  /**
   * Names the numbering sequences belong to. A client resuming with a position from another epoch
   * (the process restarted, Redis was emptied) is told to refetch rather than given wrong events.
   */
  readonly epoch: string;
  /** Gives the event the channel's next sequence, keeps it in the history, fans it out. */
  publish(topic: string, event: string, data: unknown): Promise<number>;
  /** Starts delivering `topic`'s messages to `deliver`; resolves once none can be missed. */
  listen(topic: string, deliver: (message: TopicMessage) => void): Promise<void>;
  unlisten(topic: string): Promise<void>;
  /** The channel's latest sequence (0 before its first event). */
  lastSeq(topic: string): Promise<number>;
  /** Events after `seq`, in order, or 'too-old' when some of them are no longer kept. */
  since(topic: string, seq: number): Promise<readonly SequencedEvent[] | 'too-old'>;
  presenceJoin(topic: string, key: string, meta: PresenceMeta): Promise<void>;
  presenceLeave(topic: string, key: string, ref: string): Promise<void>;
  presenceList(topic: string): Promise<PresenceState>;
  control(message: ControlMessage): Promise<void>;
  onControl(handler: (message: ControlMessage) => void): void;
  close(): Promise<void>;
}

/** Groups `{ key, meta }` entries into presence state. */
export function groupPresence(entries: Iterable<{ key: string; meta: PresenceMeta }>): PresenceState {
  const state: Record<string, PresenceMeta[]> = {};
  for (const { key, meta } of entries) (state[key] ??= []).push(meta);
  return state;
}
