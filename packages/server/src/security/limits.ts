import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../errors/http-error.js';

export interface RequestLimitsOptions {
  /** Longest accepted request target (path and query), in characters. */
  readonly maxUriLength: number;
  /**
   * Largest header block, in bytes. Node answers 431 itself on plain HTTP/1.1; HTTP/2 does not
   * enforce the limit it advertises, so it is checked here for every protocol.
   */
  readonly maxHeaderBytes?: number;
  /** The whole request, body included, must arrive within this many ms (REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs?: number;
}

/**
 * The URI-length, header-size, Host and body-time limits. Body size (413), timeouts and connection
 * limits are Fastify and Node server options, set by createServer from the same config.
 */
async function requestLimitsPlugin(fastify: FastifyInstance, options: RequestLimitsOptions): Promise<void> {
  const started = new WeakMap<object, number>();
  fastify.addHook('onRequest', async (request) => {
    started.set(request, performance.now());
    if (request.url.length > options.maxUriLength) {
      throw new HttpError(
        414,
        'URI_TOO_LONG',
        `The request URI is ${request.url.length} characters long; the limit is ${options.maxUriLength}`,
      );
    }
    if (options.maxHeaderBytes !== undefined) {
      let bytes = 0;
      for (const part of request.raw.rawHeaders) bytes += part.length + 2;
      if (bytes > options.maxHeaderBytes) {
        throw new HttpError(
          431,
          'REQUEST_HEADER_FIELDS_TOO_LARGE',
          `The request headers are ${bytes} bytes; the limit is ${options.maxHeaderBytes}`,
        );
      }
    }
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused. Node's own refusal is turned off so
    // this one carries the security headers and the request id.
    const { httpVersionMajor, httpVersionMinor } = request.raw;
    if (httpVersionMajor === 1 && httpVersionMinor === 1 && request.headers.host === undefined)
      throw new HttpError(400, 'MISSING_HOST', 'An HTTP/1.1 request must carry a Host header');
  });

  const timeoutMs = options.requestTimeoutMs;
  if (timeoutMs === undefined || timeoutMs <= 0) return;
  // Node checks its requestTimeout on a timer and not at all on the TLS listener's HTTP/1.1
  // fallback or on HTTP/2 streams: the body's deadline is kept here, for every protocol.
  fastify.addHook('preParsing', async (request, reply, payload) => {
    const remaining = timeoutMs - (performance.now() - (started.get(request) ?? performance.now()));
    const guarded = new PassThrough();
    const timer = setTimeout(
      () => {
        // The rest of the body is never read: the connection cannot carry another request.
        if (request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
        guarded.destroy(
          new HttpError(408, 'REQUEST_TIMEOUT', `The request body did not arrive within ${timeoutMs} ms`),
        );
        payload.unpipe(guarded);
        payload.resume();
      },
      Math.max(0, remaining),
    );
    const done = () => clearTimeout(timer);
    payload.once('end', done).once('error', done).once('close', done);
    payload.pipe(guarded);
    return guarded;
  });
}

export const requestLimits = fp(requestLimitsPlugin, { name: '@composable-svelte/request-limits', fastify: '5.x' });
