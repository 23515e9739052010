import type { LiveBackend, SequencedEvent, TopicMessage } from './backend.js';
import type { LiveMetrics } from './live-metrics.js';
import { encodeTextFrame, type EncodedFrame } from './wire-frame.js';

/** A serialized server frame: JSON text, or a frame encoded once for many sockets. */
export type Frame = string | EncodedFrame;

/** The side of a connection the hub delivers to. Each returns whether the frame was sent now. */
export interface Subscriber {
  deliverEvent(topic: string, seq: number, frame: EncodedFrame): boolean;
  deliverPresence(topic: string, frame: EncodedFrame): boolean;
}

export interface LiveHub {
  /** Resolves once the topic's messages reach this instance (nothing published after is missed). */
  add(topic: string, subscriber: Subscriber): Promise<void>;
  remove(topic: string, subscriber: Subscriber): void;
}

interface TopicEntry {
  readonly subscribers: Set<Subscriber>;
  readonly listening: Promise<void>;
  /** The last sequence delivered here; unknown until the first event arrives. */
  lastSeq: number | undefined;
  /** Events that arrived while a gap before them was being filled. */
  repairing: SequencedEvent[] | undefined;
}

/**
 * Local subscribers by topic. The backend is listened to per topic only while someone here has
 * joined it, and each message is serialized and encoded once for all of them.
 */
export function createHub(backend: LiveBackend, metrics: LiveMetrics, onError: (error: unknown) => void): LiveHub {
  const topics = new Map<string, TopicEntry>();

  const sendEvent = (entry: TopicEntry, message: SequencedEvent) => {
    if (entry.lastSeq !== undefined && message.seq <= entry.lastSeq) return;
    entry.lastSeq = message.seq;
    const { topic, seq, event, data } = message;
    const frame = encodeTextFrame(JSON.stringify({ type: 'event', topic, seq, event, data }));
    let sent = 0;
    for (const subscriber of entry.subscribers) if (subscriber.deliverEvent(topic, seq, frame)) sent++;
    // Counted once per broadcast rather than per socket: at thousands of subscribers it shows.
    metrics.messagesOut.inc(sent);
  };

  // Pub/sub is at most once: a subscriber connection that dropped and came back may have lost
  // events. A jump in the sequence is filled from the history before anything newer goes out.
  const repair = async (entry: TopicEntry, topic: string, after: number) => {
    try {
      const missed = await backend.since(topic, after);
      if (missed === 'too-old') onError(new Error(`live: events of ${topic} after ${after} are gone from the history`));
      else for (const event of missed) sendEvent(entry, event);
    } catch (error) {
      onError(error);
    }
    const held = entry.repairing ?? [];
    entry.repairing = undefined;
    for (const event of held) sendEvent(entry, event);
  };

  const deliver = (message: TopicMessage) => {
    const entry = topics.get(message.topic);
    if (!entry) return;
    if (message.kind === 'event') {
      if (entry.repairing) return void entry.repairing.push(message);
      if (entry.lastSeq !== undefined && message.seq > entry.lastSeq + 1) {
        entry.repairing = [message];
        return void repair(entry, message.topic, entry.lastSeq);
      }
      return sendEvent(entry, message);
    }
    const { topic, joins, leaves } = message;
    const frame = encodeTextFrame(JSON.stringify({ type: 'presence', topic, joins, leaves }));
    let sent = 0;
    for (const subscriber of entry.subscribers) if (subscriber.deliverPresence(topic, frame)) sent++;
    metrics.messagesOut.inc(sent);
  };
  return {
    async add(topic, subscriber) {
      let entry = topics.get(topic);
      if (!entry) {
        const created: TopicEntry = {
          subscribers: new Set<Subscriber>(),
          listening: backend.listen(topic, deliver),
          lastSeq: undefined,
          repairing: undefined,
        };
        // A failed subscribe (Redis away) must not stay cached: the next join tries again.
        created.listening.catch(() => {
          if (topics.get(topic) === created) topics.delete(topic);
          metrics.channels.set(topics.size);
        });
        entry = created;
        topics.set(topic, entry);
        metrics.channels.set(topics.size);
      }
      entry.subscribers.add(subscriber);
      await entry.listening;
    },
    remove(topic, subscriber) {
      const entry = topics.get(topic);
      if (!entry?.subscribers.delete(subscriber) || entry.subscribers.size > 0) return;
      topics.delete(topic);
      metrics.channels.set(topics.size);
      backend.unlisten(topic).catch(onError);
    },
  };
}
