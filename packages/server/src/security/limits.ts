import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RequestLimitsOptions {
  /** Longest accepted request target (path and query), in characters. */
  readonly maxUriLength: number;
  /**
   * Largest header block, in bytes. Node answers 431 itself on plain HTTP/1.1; HTTP/2 does not
   * enforce the limit it advertises, so it is checked here for every protocol.
   */
  readonly maxHeaderBytes?: number;
}

class UriTooLongError extends Error {
  readonly statusCode = 414;
  readonly code = 'URI_TOO_LONG';
}

class HeadersTooLargeError extends Error {
  readonly statusCode = 431;
  readonly code = 'REQUEST_HEADER_FIELDS_TOO_LARGE';
}

/**
 * The URI-length limit. Body size (413), header size (431), timeouts and connection limits are
 * Fastify and Node server options, set by createServer from the same config.
 */
async function requestLimitsPlugin(fastify: FastifyInstance, options: RequestLimitsOptions): Promise<void> {
  fastify.addHook('onRequest', async (request) => {
    if (request.url.length > options.maxUriLength) {
      throw new UriTooLongError(
        `The request URI is ${request.url.length} characters long; the limit is ${options.maxUriLength}`,
      );
    }
    if (options.maxHeaderBytes !== undefined) {
      let bytes = 0;
      for (const part of request.raw.rawHeaders) bytes += part.length + 2;
      if (bytes > options.maxHeaderBytes) {
        throw new HeadersTooLargeError(
          `The request headers are ${bytes} bytes; the limit is ${options.maxHeaderBytes}`,
        );
      }
    }
  });
}

export const requestLimits = fp(requestLimitsPlugin, { name: '@composable-svelte/request-limits', fastify: '5.x' });
