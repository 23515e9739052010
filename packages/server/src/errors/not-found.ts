import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerMetrics } from '../observability/metrics.js';
import { sendError } from './error-response.js';

export interface NotFoundOptions {
  /** Runs before the 404 is answered, e.g. the rate limiter: probing for paths is what scanners do. */
  readonly preHandler?: preHandlerHookHandler;
  readonly metrics?: ServerMetrics;
  /** Under this prefix a 404 is a broken asset reference, answered in plain text without rendering the app. */
  readonly assetPrefix?: string;
}

async function notFoundPlugin(fastify: FastifyInstance, options: NotFoundOptions): Promise<void> {
  const assetPrefix = options.assetPrefix ?? '/assets/';
  fastify.setNotFoundHandler(options.preHandler ? { preHandler: options.preHandler } : {}, async (request, reply) => {
    options.metrics?.errors.inc({ code: 'NOT_FOUND', status: '404' });
    if (request.url.startsWith(assetPrefix)) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    return sendError(request, reply, {
      status: 404,
      code: 'NOT_FOUND',
      message: `No route for ${request.method} ${request.url.split('?')[0]}`,
      pageMessage: 'Not Found',
    });
  });
}

export const notFoundHandler = fp(notFoundPlugin, { name: '@composable-svelte/not-found', fastify: '5.x' });
