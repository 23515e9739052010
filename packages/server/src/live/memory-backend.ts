import { randomUUID } from 'node:crypto';
import type { PresenceMeta, PresenceState } from '@composable-svelte/core/live';
import { LRUCache } from 'lru-cache';
import {
  groupPresence,
  type ControlMessage,
  type LiveBackend,
  type SequencedEvent,
  type TopicMessage,
} from './backend.js';

/** Topics whose recent history is kept; a resume on a topic past this bound is told to refetch. */
const MAX_TOPICS_WITH_HISTORY = 10_000;

/** One process: sequences, history and presence in memory, fan-out by direct call. */
export function createMemoryBackend(options: { historySize: number }): LiveBackend {
  // Sequences are never dropped (a number per topic): a topic's numbering must not restart while
  // clients still hold positions in it. The history they index is bounded.
  const seqs = new Map<string, number>();
  const histories = new LRUCache<string, SequencedEvent[]>({ max: MAX_TOPICS_WITH_HISTORY });
  const presence = new Map<string, Map<string, { key: string; meta: PresenceMeta }>>();
  const listeners = new Map<string, (message: TopicMessage) => void>();
  const controlHandlers: ((message: ControlMessage) => void)[] = [];
  const instanceId = randomUUID().slice(0, 8);
  return {
    instanceId,
    // A restarted process numbers from 1 again: positions from before it belong to another epoch.
    epoch: instanceId,
    async publish(topic, event, data) {
      const seq = (seqs.get(topic) ?? 0) + 1;
      seqs.set(topic, seq);
      const sequenced: SequencedEvent = { topic, seq, event, data };
      const history = histories.get(topic) ?? [];
      history.push(sequenced);
      if (history.length > options.historySize) history.shift();
      histories.set(topic, history);
      listeners.get(topic)?.({ kind: 'event', ...sequenced });
      return seq;
    },
    async listen(topic, deliver) {
      listeners.set(topic, deliver);
    },
    async unlisten(topic) {
      listeners.delete(topic);
    },
    async lastSeq(topic) {
      return seqs.get(topic) ?? 0;
    },
    async since(topic, seq) {
      const last = seqs.get(topic) ?? 0;
      if (seq === last) return [];
      if (seq > last) return 'too-old';
      const history = histories.get(topic) ?? [];
      if ((history[0]?.seq ?? last + 1) > seq + 1) return 'too-old';
      return history.filter((event) => event.seq > seq);
    },
    async presenceJoin(topic, key, meta) {
      let entries = presence.get(topic);
      if (!entries) presence.set(topic, (entries = new Map()));
      entries.set(meta.ref, { key, meta });
      listeners.get(topic)?.({ kind: 'presence', topic, joins: { [key]: [meta] } });
    },
    async presenceLeave(topic, key, ref) {
      const entries = presence.get(topic);
      const entry = entries?.get(ref);
      if (!entries || !entry) return;
      entries.delete(ref);
      if (entries.size === 0) presence.delete(topic);
      listeners.get(topic)?.({ kind: 'presence', topic, leaves: { [key]: [entry.meta] } });
    },
    async presenceList(topic): Promise<PresenceState> {
      return groupPresence(presence.get(topic)?.values() ?? []);
    },
    async control(message) {
      for (const handler of controlHandlers) handler(message);
    },
    onControl(handler) {
      controlHandlers.push(handler);
    },
    async close() {
      listeners.clear();
    },
  };
}
