import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Liveness: answers while the process can serve. Never cached, not logged at info level. */
export const health: FastifyPluginAsync = fp(
  async (fastify) => {
    fastify.get('/health', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    });
  },
  { name: '@composable-svelte/health', fastify: '5.x' },
);
