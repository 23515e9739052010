import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { encodedEtag, noneMatchHits, notModifiedSince, strongEtag } from './conditional.js';

/**
 * Strong ETags and 304s for every successful GET/HEAD whose body is in memory (pages, JSON).
 * Registered before compression so the tag is computed once from the identity body; a second hook,
 * after compression, gives each encoded representation its own tag (e.g. "…-br").
 */
async function etagPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    let etag = reply.getHeader('etag') as string | undefined;
    if (!etag) {
      etag = strongEtag(payload);
      reply.header('etag', etag);
    }
    const inm = request.headers['if-none-match'];
    const hit = inm !== undefined ? noneMatchHits(inm, etag) : notModifiedSince(request.headers['if-modified-since'], reply.getHeader('last-modified') as string | undefined);
    if (!hit) return payload;
    reply.code(304);
    reply.removeHeader('content-length');
    return '';
  });
}

async function etagEncodingPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    const encoding = reply.getHeader('content-encoding');
    const etag = reply.getHeader('etag');
    if (typeof encoding === 'string' && typeof etag === 'string') reply.header('etag', encodedEtag(etag, encoding));
    return payload;
  });
}

export const etag = fp(etagPlugin, { name: '@composable-svelte/etag', fastify: '5.x' });
export const etagPerEncoding = fp(etagEncodingPlugin, { name: '@composable-svelte/etag-per-encoding', fastify: '5.x' });
