import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { connectionDrain } from '../lifecycle/drain.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * /ready turns 503, the listener stops accepting, every open connection is closed only when that
     * loses no request (see lifecycle/drain.ts), then the server closes (onClose hooks: Redis, the
     * database, the metrics and redirect listeners).
     */
    shutdown(): Promise<void>;
    /**
     * Called as the drain starts, before any connection is closed: long-lived connections (live
     * sockets) are told to go away so their clients reconnect elsewhere while this one drains.
     */
    drainStarting: (() => void)[];
  }
}

/**
 * `shutdown()`, wired to the main listener. Registered before `start()` so the drain sees every
 * connection from the first; needs the readiness plugin (its `shuttingDown` flag is what /ready reports).
 */
async function drainPlugin(fastify: FastifyInstance): Promise<void> {
  const connections = connectionDrain(fastify.server, { idleGraceMs: fastify.config.shutdownIdleGraceMs });
  fastify.decorate('drainStarting', []);
  fastify.decorate('shutdown', async () => {
    fastify.readiness.shuttingDown = true;
    for (const callback of fastify.drainStarting) callback();
    await connections.drain();
    await fastify.close();
  });
}

export const drain = fp(drainPlugin, {
  name: '@composable-svelte/drain',
  fastify: '5.x',
  dependencies: ['@composable-svelte/readiness'],
});
