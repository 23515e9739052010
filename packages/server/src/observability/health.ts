import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Liveness: answers while the process can serve. Never cached, not logged at info level. */
export const health: FastifyPluginAsync = fp(
  async (fastify) => {
    // Probes skip the compression hook: their bodies are tiny, and its first look at a body
    // (`instanceof Response`) loads Node's fetch implementation, ~40 ms the first probe would wait.
    fastify.get('/health', { compress: false }, async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    });
  },
  { name: '@composable-svelte/health', fastify: '5.x' },
);
