import type { ServerHttp2Session } from 'node:http2';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** /ready turns 503, the listeners stop accepting, in-flight requests finish, connections close. */
    shutdown(): Promise<void>;
  }
}

/**
 * The graceful drain, in one place: what `shutdown()` does and how responses behave while it runs.
 * Needs the readiness plugin (its `shuttingDown` flag is what /ready reports).
 */
async function drainPlugin(fastify: FastifyInstance): Promise<void> {
  const http2Sessions = new Set<ServerHttp2Session>();
  // Only HTTP/2 servers emit 'session'; on a plain HTTP server the listener never runs.
  fastify.server.on('session', (session: ServerHttp2Session) => {
    http2Sessions.add(session);
    session.once('close', () => http2Sessions.delete(session));
  });

  // While draining, every response tells the client not to reuse its connection: Node then closes
  // each socket after its last response, so the drain ends as soon as the last request does.
  fastify.addHook('onSend', async (request, reply, payload) => {
    // HTTP/2 has no Connection header; its sessions are closed by shutdown() instead.
    if (fastify.readiness.shuttingDown && request.raw.httpVersionMajor < 2) reply.header('connection', 'close');
    return payload;
  });

  fastify.decorate('shutdown', async () => {
    fastify.readiness.shuttingDown = true;
    // Graceful HTTP/2 close: streams in flight finish, no new ones start, then the session ends.
    for (const session of http2Sessions) session.close();
    await fastify.close();
  });
}

export const drain = fp(drainPlugin, {
  name: '@composable-svelte/drain',
  fastify: '5.x',
  dependencies: ['@composable-svelte/readiness'],
});
