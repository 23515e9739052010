import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { LiveBackend, SequencedEvent, TopicMessage } from '../src/live/backend.js';
import { createHub } from '../src/live/hub.js';
import { createLiveMetrics } from '../src/live/live-metrics.js';
import { createMemoryBackend } from '../src/live/memory-backend.js';
import type { EncodedFrame } from '../src/live/wire-frame.js';

const event = (seq: number): SequencedEvent => ({ topic: 't', seq, event: 'e', data: { seq } });

/** A memory backend whose fan-out the test drives by hand, as a lossy pub/sub would. */
function lossyBackend() {
  const inner = createMemoryBackend({ historySize: 100 });
  let deliver: ((message: TopicMessage) => void) | undefined;
  const backend: LiveBackend = {
    ...inner,
    listen: async (_topic, callback) => {
      deliver = callback;
    },
  };
  return { backend, inner, fanOut: (seq: number) => deliver!({ kind: 'event', ...event(seq) }) };
}

describe('live hub: every subscriber gets each sequence once and in order', () => {
  it('fills a gap in what pub/sub delivered from the history before sending anything newer', async () => {
    const { backend, inner, fanOut } = lossyBackend();
    for (let seq = 1; seq <= 5; seq++) await inner.publish('t', 'e', { seq });
    const errors: unknown[] = [];
    const hub = createHub(backend, createLiveMetrics(new Registry()), (error) => errors.push(error));
    const seen: number[] = [];
    const subscriber = {
      deliverEvent: (_topic: string, seq: number, frame: EncodedFrame) => {
        expect(JSON.parse(frame.text)).toMatchObject({ seq, data: { seq } });
        seen.push(seq);
        return true;
      },
      deliverPresence: () => false,
    };
    await hub.add('t', subscriber);
    fanOut(1);
    fanOut(4);
    fanOut(5);
    fanOut(3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    fanOut(5);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(errors).toEqual([]);
  });
});
