import type { FastifyPluginAsync } from 'fastify';
import { numberFact } from '../shared/facts.js';

/** The JSON route the browser's `facts` dependency calls; the schema turns a bad number into a 400. */
export const apiRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { n: number } }>(
    '/api/facts/:n',
    {
      schema: {
        params: {
          type: 'object',
          properties: { n: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 } },
          required: ['n'],
        },
      },
    },
    async (request) => ({ fact: numberFact(request.params.n) }),
  );
};
