import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { statusText } from '../errors/describe-error.js';
import { errorBody } from '../errors/error-response.js';
import type { HeaderTable } from '../security/headers.js';

const ANSWERS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    message: 'The request headers are larger than the limit',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request was not received within the time limit',
  },
};
const MALFORMED = { status: 400, code: 'MALFORMED_REQUEST', message: 'The request is not valid HTTP' };

/**
 * Node's answer to a request it cannot parse (NUL in a header, Content-Length with
 * Transfer-Encoding, a duplicate Content-Length, a bad version, headers over the limit, a request
 * that took too long): the same hardened headers and JSON error body as every other error, and a
 * request id of its own, since no Fastify request (and no id) exists yet.
 */
export function clientErrorHandler(headers: HeaderTable) {
  // Fastify calls it bound to the instance.
  return function (this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const requestId = randomUUID();
    const answer = ANSWERS[error.code ?? ''] ?? MALFORMED;
    this.log.info({ err: error, requestId }, 'malformed HTTP request refused');
    if (socket.writable) {
      const body = JSON.stringify(errorBody(answer, requestId));
      const lines = Object.entries({
        ...headers,
        'x-request-id': requestId,
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(body)),
        connection: 'close',
      }).map(([name, value]) => `${name}: ${value}`);
      socket.write(`HTTP/1.1 ${answer.status} ${statusText(answer.status)}\r\n${lines.join('\r\n')}\r\n\r\n${body}`);
    }
    socket.destroy(error);
  };
}
