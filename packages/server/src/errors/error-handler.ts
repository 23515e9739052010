import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerMetrics } from '../observability/metrics.js';
import { describeError } from './describe-error.js';
import { sendError, type ErrorPage } from './error-response.js';

export interface ErrorHandlerOptions {
  /** Production hides the message of unexpected errors. */
  readonly production: boolean;
  /** The app's error page; without it every error is JSON. */
  readonly page?: ErrorPage;
  readonly metrics?: ServerMetrics;
}

/** Every thrown error becomes a described error response: status, code, a safe message, the request id. */
async function errorHandlerPlugin(fastify: FastifyInstance, options: ErrorHandlerOptions): Promise<void> {
  if (options.page) fastify.decorate('errorPage', options.page);
  fastify.setErrorHandler(async (error, request, reply) => {
    const described = describeError(error, options.production);
    if (described.internal) request.log.error({ err: error }, 'request failed');
    options.metrics?.errors.inc({ code: described.code, status: String(described.status) });
    return sendError(request, reply, described);
  });
}

export const errorHandler = fp(errorHandlerPlugin, { name: '@composable-svelte/error-handler', fastify: '5.x' });
