import { applyPresenceDiff, type PresenceState } from '@composable-svelte/core/live';
import WebSocket from 'ws';

export type Frame = Record<string, unknown>;

/** A script's socket on the blog's `/live`: every frame it received, and waits for the ones a test expects. */
export interface LiveSocket {
  readonly frames: Frame[];
  /** The first frame (received so far or later) matching `predicate` that no earlier call took. */
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  join(topic: string): Promise<Frame>;
  close(): void;
}

let refs = 0;

/** Opens `/live` as a browser on `origin` would (the Origin header), with the reader's cookies if any. */
export function openLiveSocket(url: string, options: { origin: string; cookie?: string }): Promise<LiveSocket> {
  const socket = new WebSocket(url, {
    origin: options.origin,
    ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
  });
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });
  const live: LiveSocket = {
    frames,
    next: (predicate, timeoutMs = 2000) =>
      new Promise((resolve, reject) => {
        const wake = () => {
          const found = frames.find((frame) => !taken.has(frame) && predicate(frame));
          if (!found) return;
          taken.add(found);
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no such frame within ${timeoutMs} ms; got ${JSON.stringify(frames).slice(0, 1500)}`));
        }, timeoutMs);
        waiters.add(wake);
        wake();
      }),
    join(topic) {
      const ref = `join-${++refs}`;
      socket.send(JSON.stringify({ type: 'join', ref, topic }));
      return live.next((frame) => frame.type === 'reply' && frame.ref === ref);
    },
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(live));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

/** The presence keys of `topic` after every presence frame received so far, as a browser merges them. */
export function presenceKeys(frames: readonly Frame[], topic: string): string[] {
  let state: PresenceState = {};
  for (const frame of frames) {
    if (frame.type !== 'presence' || frame.topic !== topic) continue;
    const {
      state: whole,
      joins,
      leaves,
    } = frame as { state?: PresenceState; joins?: PresenceState; leaves?: PresenceState };
    state = applyPresenceDiff(whole ?? state, joins, leaves);
  }
  return Object.keys(state).sort();
}
