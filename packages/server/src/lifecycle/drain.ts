import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerHttp2Session, ServerHttp2Stream } from 'node:http2';
import { Server as NetServer, type Socket } from 'node:net';
import { Server as TlsServer, type TLSSocket } from 'node:tls';
import { clusterListenerClosed } from './cluster-listener.js';

export interface ConnectionDrainOptions {
  /**
   * How long a connection may sit idle once the drain has started before it is closed: a request
   * already on its way on a kept-alive connection arrives within this and is answered.
   */
  readonly idleGraceMs: number;
}

export interface ConnectionDrain {
  /**
   * Stops accepting connections, then closes each open one only when that loses no request: after
   * its next response (HTTP/1.1 `Connection: close`, HTTP/2 GOAWAY) or once idle for the grace.
   * Resolves when no connection is left.
   */
  drain(): Promise<void>;
}

interface Http1Connection {
  readonly socket: Socket;
  /** Responses started and not yet finished on this connection. */
  readonly responses: Set<ServerResponse>;
  quietSince: number;
  bytesRead: number;
  timer?: NodeJS.Timeout;
}

interface Http2Connection {
  readonly session: ServerHttp2Session;
  readonly streams: Set<ServerHttp2Stream>;
  quietSince: number;
  timer?: NodeJS.Timeout;
}

/**
 * Zero-reset drain of an HTTP/1.1 or HTTP/2 (TLS, with HTTP/1.1 fallback) server.
 *
 * Why not Fastify's close: `fastify.close()` calls Node's `server.close()`, which since Node 19
 * first runs `closeIdleConnections()`, destroying every kept-alive socket between two requests; a
 * client that has just sent its next request on one gets a reset, and a proxy loses that write.
 * Fastify's `forceCloseConnections: false` cannot prevent it (Node does it, not Fastify), and the
 * requests that do arrive on live connections after close get Fastify's `return503OnClosing` 503.
 * So the listener is closed with `net.Server.prototype.close`, which stops accepting and leaves
 * established connections alone, and each connection is ended here at a moment the client cannot
 * be mid-request; `fastify.close()` runs only after the last one is gone (then it finds nothing to
 * destroy and no route is ever closing, so those two options no longer matter).
 */
export function connectionDrain(server: NetServer, options: ConnectionDrainOptions): ConnectionDrain {
  const grace = options.idleGraceMs;
  const http1 = new Map<Socket, Http1Connection>();
  const http2 = new Map<ServerHttp2Session, Http2Connection>();
  // Every accepted TCP connection, including TLS handshakes not finished yet (not HTTP yet).
  const accepted = new Set<Socket>();
  let drainingSince: number | undefined;
  let lastHttpClose = 0;
  let sweepTimer: NodeJS.Timeout | undefined;

  // Writes still queued (the end of a last response) go out first; an idle socket just closes, so
  // nothing that arrives after this is read and half-answered.
  const close = (socket: Socket) => {
    if (socket.writableLength > 0) socket.end(() => socket.destroy());
    else socket.destroy();
  };

  // Only the newest of pipelined requests may say `Connection: close`: Node closes the socket after
  // that response, and any request queued behind it would be lost.
  const closeAfterLastResponse = (connection: Http1Connection) => {
    const responses = [...connection.responses];
    for (const response of responses) {
      if (response.headersSent) continue;
      if (response === responses.at(-1)) response.setHeader('connection', 'close');
      else response.removeHeader('connection');
    }
  };

  const closeHttp1WhenIdle = (connection: Http1Connection) => {
    clearTimeout(connection.timer);
    if (connection.socket.destroyed || connection.responses.size > 0) return;
    // Bytes read since the last look are a request on its way (not yet a 'request' event).
    if (connection.socket.bytesRead !== connection.bytesRead) {
      connection.bytesRead = connection.socket.bytesRead;
      connection.quietSince = performance.now();
    }
    const wait = Math.max(connection.quietSince, drainingSince!) + grace - performance.now();
    if (wait > 0) connection.timer = setTimeout(closeHttp1WhenIdle, wait, connection);
    else close(connection.socket);
  };

  const closeHttp2WhenIdle = (connection: Http2Connection) => {
    clearTimeout(connection.timer);
    const { session } = connection;
    if (session.closed || session.destroyed) return;
    // A response still being written reaches the client after the GOAWAY, so a client that waits for
    // it before its next request learns first that there is no next one on this session.
    if ([...connection.streams].some((stream) => !stream.writableEnded)) return session.close();
    const wait = Math.max(connection.quietSince, drainingSince!) + grace - performance.now();
    if (wait > 0) connection.timer = setTimeout(closeHttp2WhenIdle, wait, connection);
    else session.close();
  };

  // What can be left once every HTTP connection is gone: TLS handshakes that never completed, and
  // sockets of closed HTTP/2 sessions whose client keeps the TCP connection open.
  const sweep = () => {
    clearTimeout(sweepTimer);
    if (drainingSince === undefined || http1.size > 0 || http2.size > 0 || accepted.size === 0) return;
    const wait = Math.max(drainingSince, lastHttpClose) + grace - performance.now();
    if (wait > 0) sweepTimer = setTimeout(sweep, wait).unref();
    else for (const socket of accepted) close(socket);
  };

  const trackHttp1 = (socket: Socket) => {
    const connection: Http1Connection = {
      socket,
      responses: new Set(),
      quietSince: performance.now(),
      bytesRead: socket.bytesRead,
    };
    http1.set(socket, connection);
    socket.once('close', () => {
      clearTimeout(connection.timer);
      http1.delete(socket);
      lastHttpClose = performance.now();
      sweep();
    });
    if (drainingSince !== undefined) closeHttp1WhenIdle(connection);
  };

  server.on('connection', (socket: Socket) => {
    accepted.add(socket);
    socket.once('close', () => accepted.delete(socket));
  });
  if (server instanceof TlsServer) {
    server.on('secureConnection', (socket: TLSSocket) => {
      // HTTP/2 connections are followed through their session.
      if (socket.alpnProtocol !== 'h2') trackHttp1(socket);
    });
  } else {
    server.on('connection', trackHttp1);
  }

  server.on('session', (session: ServerHttp2Session) => {
    const connection: Http2Connection = { session, streams: new Set(), quietSince: performance.now() };
    http2.set(session, connection);
    session.on('stream', (stream: ServerHttp2Stream) => {
      connection.streams.add(stream);
      stream.once('close', () => {
        connection.streams.delete(stream);
        connection.quietSince = performance.now();
        if (drainingSince !== undefined) closeHttp2WhenIdle(connection);
      });
      // The stream that arrived is the last this session takes: GOAWAY names it as processed.
      if (drainingSince !== undefined) session.close();
    });
    session.once('close', () => {
      clearTimeout(connection.timer);
      http2.delete(session);
      lastHttpClose = performance.now();
      sweep();
    });
    if (drainingSince !== undefined) closeHttp2WhenIdle(connection);
  });

  // First in line, so the header is there whatever Fastify's handler does synchronously.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.httpVersionMajor >= 2) return;
    const connection = http1.get(request.socket);
    if (!connection) return;
    connection.responses.add(response);
    if (drainingSince !== undefined) closeAfterLastResponse(connection);
    response.once('close', () => {
      connection.responses.delete(response);
      connection.quietSince = performance.now();
      connection.bytesRead = connection.socket.bytesRead;
      if (drainingSince !== undefined) closeHttp1WhenIdle(connection);
    });
  });

  let drained: Promise<void> | undefined;
  return {
    drain() {
      drained ??= (async () => {
        if (!server.listening) return;
        const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
        // Until no new connection can reach this process, a client told to reconnect could land on a
        // listener that is closing: in a cluster, wait for the primary to say the port is closed.
        await clusterListenerClosed(grace);
        drainingSince = performance.now();
        for (const connection of http1.values()) {
          closeAfterLastResponse(connection);
          closeHttp1WhenIdle(connection);
        }
        for (const connection of http2.values()) closeHttp2WhenIdle(connection);
        sweep();
        await closed;
      })();
      return drained;
    },
  };
}
