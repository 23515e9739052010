import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids are ours unless a trusted proxy's header carries a well-formed one: a client must not
 * be able to forge log correlation or inject text into logs through this header.
 */
export function requestIdGenerator(trustedHeader: string | undefined): (request: IncomingMessage) => string {
  if (!trustedHeader) return () => randomUUID();
  return (request) => {
    const value = request.headers[trustedHeader];
    return typeof value === 'string' && WELL_FORMED.test(value) ? value : randomUUID();
  };
}

/** Every response names its request, errors included, so a user's report can be found in the log. */
export const requestId = fp(
  async (fastify: FastifyInstance) => {
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
  },
  { name: '@composable-svelte/request-id', fastify: '5.x' },
);
