import type { LiveSocket } from './client.js';
import type { ClientFrame, ServerFrame } from './protocol.js';

/** A socket the test drives: it opens, receives and drops when told to, and records what was sent. */
export interface FakeLiveSocket extends LiveSocket {
  readonly url: string;
  readonly sent: ClientFrame[];
  readonly closed: boolean;
  open(): void;
  receive(frame: ServerFrame): void;
  /** The connection ends from the server's side (or the network's) with `code`. */
  drop(code?: number): void;
}

export interface FakeLiveTransport {
  readonly transport: (url: string) => LiveSocket;
  /** Every socket the client opened, oldest first. */
  readonly sockets: readonly FakeLiveSocket[];
  /** The newest socket; throws when none was opened. */
  last(): FakeLiveSocket;
}

/** A transport for TestStore tests of features using `createLiveClient`: no network, no timers. */
export function createFakeLiveTransport(): FakeLiveTransport {
  const sockets: FakeLiveSocket[] = [];
  return {
    sockets,
    last() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no live socket was opened');
      return socket;
    },
    transport(url) {
      let closed = false;
      const socket: FakeLiveSocket = {
        url,
        sent: [],
        get closed() {
          return closed;
        },
        onopen: null,
        onmessage: null,
        onclose: null,
        send(data) {
          if (closed) throw new Error('send on a closed fake socket');
          socket.sent.push(JSON.parse(data) as ClientFrame);
        },
        close() {
          closed = true;
        },
        open() {
          socket.onopen?.();
        },
        receive(frame) {
          socket.onmessage?.({ data: JSON.stringify(frame) });
        },
        drop(code = 1006) {
          closed = true;
          socket.onclose?.({ code });
        },
      };
      sockets.push(socket);
      return socket;
    },
  };
}
