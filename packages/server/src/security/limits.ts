import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/** The first limit this request's head breaks, if any. */
function requestLimitError(request: FastifyRequest, options: RequestLimitsOptions): HttpError | undefined {
  if (request.url.length > options.maxUriLength) {
    return new HttpError(
      414,
      'URI_TOO_LONG',
      `The request URI is ${request.url.length} characters long; the limit is ${options.maxUriLength}`,
    );
  }
  if (options.maxHeaderBytes !== undefined) {
    let bytes = 0;
    for (const part of request.raw.rawHeaders) bytes += part.length + 2;
    if (bytes > options.maxHeaderBytes) {
      return new HttpError(
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
    return new HttpError(400, 'MISSING_HOST', 'An HTTP/1.1 request must carry a Host header');
  return undefined;
}

/**
 * Whether the request's head says no body follows, so there is nothing to time: on HTTP/1.1 neither
 * Content-Length (above 0) nor Transfer-Encoding (RFC 9112 §6.3); on HTTP/2 the headers frame ended
 * the stream.
 */
function hasNoBody(request: FastifyRequest): boolean {
  const raw = request.raw as FastifyRequest['raw'] & { stream?: { endAfterHeaders?: boolean } };
  if (raw.httpVersionMajor >= 2) return raw.stream?.endAfterHeaders === true;
  const { headers } = request;
  return headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0';
}

/**
 * The URI-length, header-size, Host and body-time limits. Body size (413), timeouts and connection
 * limits are Fastify and Node server options, set by createServer from the same config.
 */
async function requestLimitsPlugin(fastify: FastifyInstance, options: RequestLimitsOptions): Promise<void> {
  // Callback-style hooks: they run on every request, and an async hook costs a promise and a
  // microtask each time.
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(requestLimitError(request, options));
  });

  const timeoutMs = options.requestTimeoutMs;
  if (timeoutMs === undefined || timeoutMs <= 0) return;
  // Node checks its requestTimeout on a timer and not at all on the TLS listener's HTTP/1.1
  // fallback or on HTTP/2 streams: the body's deadline is kept here, for every protocol.
  fastify.addHook('preParsing', (request, reply, payload, done) => {
    if (hasNoBody(request)) {
      done(null, payload);
      return;
    }
    // Fastify's clock for the reply starts when the request is routed, before any onRequest hook.
    const remaining = timeoutMs - reply.elapsedTime;
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
    const stop = () => clearTimeout(timer);
    payload.once('end', stop).once('error', stop).once('close', stop);
    payload.pipe(guarded);
    done(null, guarded);
  });
}

export const requestLimits = fp(requestLimitsPlugin, { name: '@composable-svelte/request-limits', fastify: '5.x' });
