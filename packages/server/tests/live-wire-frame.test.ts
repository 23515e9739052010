import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { channel } from '../src/live/index.js';
import { encodeTextFrame, wireOf } from '../src/live/wire-frame.js';
import { connect, startLive, type LiveServerHandle } from './fixtures/live-helpers.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A bare `ws` server and one client of it: the server's socket, the upgrade's stream, the client. */
async function pair(serverOptions: { perMessageDeflate: boolean } = { perMessageDeflate: false }) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...serverOptions });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted = new Promise<{ socket: WebSocket; stream: Duplex }>((resolve) =>
    server.once('connection', (socket, request) => resolve({ socket, stream: request.socket })),
  );
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: serverOptions.perMessageDeflate });
  cleanups.push(() => client.terminate());
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : String(data)));
  await new Promise((resolve) => client.once('open', resolve));
  return { ...(await accepted), client, received };
}

const until = async (check: () => boolean, timeoutMs = 5000) => {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('live wire frames: a broadcast is framed once and written as is (pinned against the installed ws)', () => {
  it('frames every payload length class, counted in UTF-8 bytes, as the ws client decodes it', async () => {
    const { socket, stream, received } = await pair();
    const wire = wireOf(socket, stream);
    expect(wire).toBe(stream);
    const texts = ['', 'x', 'x'.repeat(125), 'x'.repeat(126), 'é'.repeat(70), 'y'.repeat(65_535), 'z'.repeat(65_536)];
    texts.push('{"big":"' + 'w'.repeat(200_000) + '"}');
    for (const text of texts) wire!.write(encodeTextFrame(text).wire);
    await until(() => received.length === texts.length);
    expect(received).toEqual(texts);
  });

  it("keeps frames in order with ws's own sends and pings, and ws's bufferedAmount counts them", async () => {
    const { socket, stream, client, received } = await pair();
    const wire = wireOf(socket, stream)!;
    let pings = 0;
    client.on('ping', () => pings++);
    socket.send('1');
    wire.write(encodeTextFrame('2').wire);
    socket.ping();
    socket.send('3');
    wire.write(encodeTextFrame('4').wire);
    await until(() => received.length === 4);
    expect(received).toEqual(['1', '2', '3', '4']);
    expect(pings).toBe(1);

    // The slow-consumer check reads bufferedAmount: bytes written under ws must show in it.
    client.pause();
    const big = encodeTextFrame('b'.repeat(1_048_576)).wire;
    for (let i = 0; i < 16; i++) wire.write(big);
    expect(stream.writableLength).toBeGreaterThan(0);
    expect(socket.bufferedAmount).toBe(stream.writableLength);
  });

  it('refuses the direct path for a stream that is not the socket’s, or when compression is negotiated', async () => {
    const plain = await pair();
    expect(wireOf(plain.socket, undefined)).toBeUndefined();
    expect(wireOf(plain.socket, new Socket())).toBeUndefined();
    const deflating = await pair({ perMessageDeflate: true });
    expect(deflating.socket.extensions).toContain('permessage-deflate');
    expect(wireOf(deflating.socket, deflating.stream)).toBeUndefined();
  });

  it('the live endpoint writes a broadcast to each socket as one complete frame', async () => {
    let server: LiveServerHandle | undefined = await startLive({
      channels: [channel('news', { anonymous: true })],
      allowAnonymous: true,
    });
    cleanups.push(() => server?.close());
    const { url, app } = server;
    const clients = [await connect(url), await connect(url)];
    for (const client of clients) await client.join('news');
    const write = vi.spyOn(Socket.prototype, 'write');
    await app.live.publish('news', 'headline', { title: 'fan-out' });
    const text = JSON.stringify({
      type: 'event',
      topic: 'news',
      seq: 1,
      event: 'headline',
      data: { title: 'fan-out' },
    });
    const expected = encodeTextFrame(text).wire;
    const whole = write.mock.calls.filter(([chunk]) => Buffer.isBuffer(chunk) && chunk.equals(expected));
    expect(whole).toHaveLength(2);
    // Two join replies and the event to each socket, the event's two counted in one increment.
    expect(await app.metrics.registry.getSingleMetricAsString('live_messages_out_total')).toMatch(/ 4$/);
    for (const client of clients) {
      expect(await client.next((frame) => frame.type === 'event')).toMatchObject({
        seq: 1,
        data: { title: 'fan-out' },
      });
      client.socket.close();
    }
    await server.close();
    server = undefined;
  });
});
