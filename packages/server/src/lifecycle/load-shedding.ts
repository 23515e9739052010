import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serviceUnavailable } from '../errors/http-error.js';

export interface LoadSheddingOptions {
  /** 0 turns a check off. */
  readonly maxEventLoopDelayMs: number;
  readonly maxEventLoopUtilization: number;
  readonly maxHeapUsedBytes: number;
  readonly maxRssBytes: number;
  readonly retryAfterSeconds?: number;
  readonly onShed?: () => void;
}

/**
 * 503 with Retry-After before the process falls over. Register it in the context that holds the
 * app's routes only: /health and /ready must answer even under pressure, or orchestrators would
 * restart a process that is merely busy.
 */
async function loadSheddingPlugin(fastify: FastifyInstance, options: LoadSheddingOptions): Promise<void> {
  const retryAfter = options.retryAfterSeconds ?? 10;
  await fastify.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxEventLoopUtilization: options.maxEventLoopUtilization,
    maxHeapUsedBytes: options.maxHeapUsedBytes,
    maxRssBytes: options.maxRssBytes,
    retryAfter,
    // Async, so under-pressure passes the rejection to next(err) and the central error handler answers.
    pressureHandler: async (_request, reply, type, value) => {
      options.onShed?.();
      reply.header('retry-after', String(retryAfter));
      throw serviceUnavailable(
        `The server is overloaded (${type}${value === undefined ? '' : ` at ${Math.round(Number(value) * 100) / 100}`}); retry in ${retryAfter} seconds`,
      );
    },
  });
}

export const loadShedding = fp(loadSheddingPlugin, { name: '@composable-svelte/load-shedding', fastify: '5.x' });
