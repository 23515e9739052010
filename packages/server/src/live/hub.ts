import type { LiveBackend, TopicMessage } from './backend.js';
import type { LiveMetrics } from './live-metrics.js';

/** The side of a connection the hub delivers to. */
export interface Subscriber {
  deliverEvent(topic: string, seq: number, frame: string): void;
  deliverPresence(topic: string, frame: string): void;
}

export interface LiveHub {
  /** Resolves once the topic's messages reach this instance (nothing published after is missed). */
  add(topic: string, subscriber: Subscriber): Promise<void>;
  remove(topic: string, subscriber: Subscriber): void;
}

/**
 * Local subscribers by topic. The backend is listened to per topic only while someone here has
 * joined it, and each message is serialized once for all of them.
 */
export function createHub(backend: LiveBackend, metrics: LiveMetrics, onError: (error: unknown) => void): LiveHub {
  const topics = new Map<string, { subscribers: Set<Subscriber>; listening: Promise<void> }>();
  const deliver = (message: TopicMessage) => {
    const entry = topics.get(message.topic);
    if (!entry) return;
    if (message.kind === 'event') {
      const { topic, seq, event, data } = message;
      const frame = JSON.stringify({ type: 'event', topic, seq, event, data });
      for (const subscriber of entry.subscribers) subscriber.deliverEvent(topic, seq, frame);
    } else {
      const { topic, joins, leaves } = message;
      const frame = JSON.stringify({ type: 'presence', topic, joins, leaves });
      for (const subscriber of entry.subscribers) subscriber.deliverPresence(topic, frame);
    }
  };
  return {
    async add(topic, subscriber) {
      let entry = topics.get(topic);
      if (!entry) {
        const created = { subscribers: new Set<Subscriber>(), listening: backend.listen(topic, deliver) };
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
