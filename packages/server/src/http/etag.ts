import type { FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { encodedEtag, matchingTag, notModifiedSince, strongEtag } from './conditional.js';

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
    const matched = inm !== undefined ? matchingTag(inm, etag) : undefined;
    const hit =
      inm !== undefined
        ? matched !== undefined
        : notModifiedSince(
            request.headers['if-modified-since'],
            reply.getHeader('last-modified') as string | undefined,
          );
    if (!hit) return payload;
    // A 304 names the representation the client holds: its tag carries the encoding suffix, which a
    // body that is no longer compressed (there is none) could not add.
    if (matched && matched !== '*' && !reply.hasHeader('content-encoding'))
      reply.header('etag', matched.replace(/^W\//, ''));
    reply.code(304);
    reply.removeHeader('content-length');
    return '';
  });
}

async function tagEncoding(_request: unknown, reply: FastifyReply, payload: unknown) {
  const encoding = reply.getHeader('content-encoding');
  const etag = reply.getHeader('etag');
  if (typeof encoding === 'string' && typeof etag === 'string') reply.header('etag', encodedEtag(etag, encoding));
  return payload;
}

async function etagEncodingPlugin(fastify: FastifyInstance): Promise<void> {
  // Bodies encoded by the handler (cached pages) are tagged here; @fastify/compress compresses in a
  // route-level hook, which runs after every instance-level one, so each route also gets the same
  // step appended after its own hooks.
  fastify.addHook('onSend', tagEncoding);
  fastify.addHook('onRoute', (route) => {
    const existing = route.onSend ? ([] as unknown[]).concat(route.onSend) : [];
    route.onSend = [...existing, tagEncoding] as typeof route.onSend;
  });
}

export const etag = fp(etagPlugin, { name: '@composable-svelte/etag', fastify: '5.x' });
export const etagPerEncoding = fp(etagEncodingPlugin, { name: '@composable-svelte/etag-per-encoding', fastify: '5.x' });
