/**
 * Helpers for the direct-TLS deployment tests: a throwaway self-signed certificate, free ports,
 * and small HTTP/2, HTTPS (HTTP/1.1) and plain HTTP clients that report exactly what came back.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  connect as http2Connect,
  constants as h2,
  type ClientHttp2Session,
  type IncomingHttpHeaders as Http2Headers,
} from 'node:http2';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { createServer as createNetServer, connect as netConnect } from 'node:net';
import type { TLSSocket } from 'node:tls';

export { createTestCertificate, type TestCertificate } from '@composable-svelte/testing';

/** A port the OS considers free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string' || address.port === 0)
    throw new Error(`no free port (got ${JSON.stringify(address)})`);
  return address.port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port right now. */
export function isListening(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The protocol the TLS handshake agreed on (ALPN), when there was TLS. */
  readonly alpn?: string | false | null;
  /** The HTTP version the response came in on ('2.0', '1.1'). */
  readonly httpVersion: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** An HTTP/2 session to origin trusting only `ca`; close it when done. */
export function openHttp2(origin: string, ca: Buffer): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(origin, { ca, ALPNProtocols: ['h2'] });
    const timer = setTimeout(() => {
      session.destroy();
      reject(new Error(`HTTP/2 connect to ${origin} timed out`));
    }, REQUEST_TIMEOUT_MS);
    session.once('connect', () => {
      clearTimeout(timer);
      resolve(session);
    });
    session.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** One GET over an open HTTP/2 session. */
export function http2Get(
  session: ClientHttp2Session,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ [h2.HTTP2_HEADER_METHOD]: 'GET', [h2.HTTP2_HEADER_PATH]: path, ...headers });
    stream.setTimeout(REQUEST_TIMEOUT_MS, () => stream.close(h2.NGHTTP2_CANCEL));
    let responseHeaders: Http2Headers | undefined;
    const chunks: Buffer[] = [];
    stream.once('response', (received) => {
      responseHeaders = received;
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('close', () => {
      if (!responseHeaders) {
        reject(new Error(`HTTP/2 stream for ${path} closed without a response (code ${stream.rstCode})`));
        return;
      }
      resolve({
        status: Number(responseHeaders[h2.HTTP2_HEADER_STATUS]),
        headers: { ...responseHeaders },
        body: Buffer.concat(chunks).toString('utf8'),
        alpn: (session.socket as TLSSocket).alpnProtocol,
        httpVersion: '2.0',
      });
    });
    stream.end();
  });
}

/** Connects, makes one HTTP/2 GET, closes the session. */
export async function http2GetOnce(
  origin: string,
  ca: Buffer,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const session = await openHttp2(origin, ca);
  try {
    return await http2Get(session, path, headers);
  } finally {
    session.close();
  }
}

/**
 * One HTTPS GET that offers only http/1.1 in ALPN (a client without HTTP/2); `alpn: null` offers
 * no ALPN at all (an old client).
 */
export function http1TlsGet(
  origin: string,
  ca: Buffer,
  path: string,
  options: { headers?: Record<string, string>; agent?: HttpsAgent; alpn?: null } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      new URL(path, origin),
      {
        method: 'GET',
        ca,
        ...(options.alpn === null ? {} : { ALPNProtocols: ['http/1.1'] }),
        headers: options.headers ?? {},
        agent: options.agent ?? false,
      },
      (response) => {
        // Read now: a keep-alive agent takes the socket back once the body has been read.
        const alpn = (response.socket as TLSSocket).alpnProtocol;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.once('error', reject);
        response.once('end', () =>
          resolve({
            status: response.statusCode!,
            headers: { ...response.headers },
            body: Buffer.concat(chunks).toString('utf8'),
            alpn,
            httpVersion: response.httpVersion,
          }),
        );
      },
    );
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`HTTPS GET ${path} timed out`)));
    request.once('error', reject);
    request.end();
  });
}

/** One plain-HTTP GET to 127.0.0.1:port with the exact request target and headers given. */
export function plainGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer & { headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method: 'GET', path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('error', reject);
      response.once('end', () =>
        resolve({
          status: response.statusCode!,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          httpVersion: response.httpVersion,
        }),
      );
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`HTTP GET ${path} timed out`)));
    request.once('error', reject);
    request.end();
  });
}

/** Resolves with how long `promise` took, or 'timeout' past `limitMs` (the promise keeps running). */
export async function timed(promise: Promise<unknown>, limitMs: number): Promise<number | 'timeout'> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    promise.then(() => Date.now() - started),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limitMs);
    }),
  ]);
  clearTimeout(timer);
  return outcome;
}
