import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface RequestLimitsOptions {
  /** Longest accepted request target (path and query), in characters. */
  readonly maxUriLength: number;
}

class UriTooLongError extends Error {
  readonly statusCode = 414;
  readonly code = 'URI_TOO_LONG';
}

/**
 * The URI-length limit. Body size (413), header size (431), timeouts and connection limits are
 * Fastify and Node server options, set by createServer from the same config.
 */
async function requestLimitsPlugin(fastify: FastifyInstance, options: RequestLimitsOptions): Promise<void> {
  fastify.addHook('onRequest', async (request) => {
    if (request.url.length > options.maxUriLength) {
      throw new UriTooLongError(`The request URI is ${request.url.length} characters long; the limit is ${options.maxUriLength}`);
    }
  });
}

export const requestLimits = fp(requestLimitsPlugin, { name: '@composable-svelte/request-limits', fastify: '5.x' });
