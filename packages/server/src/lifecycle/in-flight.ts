import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface InFlightRequest {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly ageMs: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests accepted and not yet answered: what a shutdown that times out reports. */
    inFlight(): InFlightRequest[];
  }
}

async function inFlightPlugin(fastify: FastifyInstance): Promise<void> {
  const running = new Map<string, { method: string; url: string; started: number }>();
  fastify.decorate('inFlight', () =>
    [...running].map(([id, r]) => ({
      id,
      method: r.method,
      url: r.url,
      ageMs: Math.round(performance.now() - r.started),
    })),
  );
  fastify.addHook('onRequest', (request, _reply, done) => {
    running.set(String(request.id), { method: request.method, url: request.url, started: performance.now() });
    done();
  });
  fastify.addHook('onResponse', (request, _reply, done) => {
    running.delete(String(request.id));
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    running.delete(String(request.id));
    done();
  });
}

export const inFlight = fp(inFlightPlugin, { name: '@composable-svelte/in-flight', fastify: '5.x' });
