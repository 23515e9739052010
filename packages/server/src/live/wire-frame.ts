import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * A server message encoded once for all its subscribers: the JSON text, and the complete
 * WebSocket frame carrying it, so that sending it to a socket is one write of shared bytes.
 */
export interface EncodedFrame {
  readonly text: string;
  readonly wire: Buffer;
}

/**
 * Frames `text` as one final, unmasked text message (RFC 6455 §5.2), the form a server sends
 * when no extension is negotiated (the live endpoint turns permessage-deflate off).
 */
export function encodeTextFrame(text: string): EncodedFrame {
  const length = Buffer.byteLength(text);
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const wire = Buffer.allocUnsafe(headerLength + length);
  wire[0] = 0x81;
  if (length < 126) wire[1] = length;
  else if (length < 65_536) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeBigUInt64BE(BigInt(length), 2);
  }
  wire.write(text, headerLength);
  return { text, wire };
}

/**
 * The stream a server-side `ws` socket writes its frames to, when it is `candidate` (the upgrade's
 * socket, `request.raw.socket`), else undefined.
 *
 * Writing a whole frame to that stream directly is what `ws` itself does for every send: with no
 * extension its sender frames each message synchronously, in one corked write, and queues only
 * while compressing or reading a Blob, neither of which the live endpoint does (`extensions` is checked empty); so a frame written
 * between two of its sends arrives intact and in order, and `bufferedAmount` counts it (it reads the
 * stream's writable length). That saves `ws`'s per-socket header allocation and two-buffer writev
 * on a broadcast, which matters at thousands of subscribers. `_socket` is `ws`'s private field: it
 * is read only to check that the socket really is `ws`'s stream, and when it is not (an injected
 * socket, another `ws` version) frames go through `ws.send`. tests/live-wire-frame.test.ts pins all
 * of this against the installed `ws`.
 */
export function wireOf(socket: WebSocket, candidate: Duplex | undefined): Duplex | undefined {
  const own = (socket as unknown as { _socket?: unknown })._socket;
  return candidate !== undefined && own === candidate && socket.extensions === '' ? candidate : undefined;
}
