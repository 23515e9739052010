import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PageCache } from '../cache/page-cache.js';
import type { PageEntry } from '../cache/page-entry.js';
import type { PageRenderer } from './page-renderer.js';
import { requestPath } from './page-renderer.js';

export interface SsrPagesOptions {
  readonly renderer: PageRenderer;
  /** Public pages are served from here when present (stale-while-revalidate, single flight). */
  readonly cache?: PageCache;
  /** Extra key dimensions, from AppDefinition.cacheKey. */
  readonly cacheKey?: (request: FastifyRequest) => string;
  /** Adds `x-cache: HIT|MISS|STALE` (development). */
  readonly debugHeader?: boolean;
}

const ENCODINGS = ['br', 'gzip', 'identity'];

function serveEntry(reply: FastifyReply, request: FastifyRequest, entry: PageEntry, renderer: PageRenderer): FastifyReply {
  reply.header('etag', entry.etag).header('last-modified', entry.lastModified).header('link', renderer.linkHeader).header('vary', 'Accept-Encoding');
  reply.type('text/html; charset=utf-8');
  // Variants were compressed once, when the page was stored; compression plugins skip encoded bodies.
  const encoding = negotiate(request.headers['accept-encoding'] ?? 'identity', ENCODINGS);
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(entry.br);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(entry.gzip);
  return reply.send(entry.html);
}

/** Every GET (and HEAD) not claimed by another route is a page of the app. */
async function ssrPagesPlugin(fastify: FastifyInstance, options: SsrPagesOptions): Promise<void> {
  const { renderer, cache } = options;
  // The API prefix is JSON territory: an unknown GET there gets the JSON 404, not an HTML page.
  const isApi = (request: FastifyRequest) => request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?');
  if (!cache) {
    fastify.get('/*', (request, reply) => (isApi(request) ? reply.callNotFound() : renderer.handle(request, reply)));
    return;
  }
  const keyOf = (request: FastifyRequest) => `GET ${requestPath(request.url)}${options.cacheKey ? `|${options.cacheKey(request)}` : ''}`;
  const mark = (reply: FastifyReply, state: string) => {
    if (options.debugHeader) reply.header('x-cache', state);
  };

  fastify.get('/*', async (request, reply) => {
    if (isApi(request)) return reply.callNotFound();
    const key = keyOf(request);
    const found = await cache.lookup(key);
    if (found) {
      if (found.state === 'stale') cache.refresh(key, () => renderer.render(request, reply));
      mark(reply, found.state === 'fresh' ? 'HIT' : 'STALE');
      return serveEntry(reply, request, found.entry, renderer);
    }
    const { page, entry, leader } = await cache.render(key, () => renderer.render(request, reply));
    mark(reply, 'MISS');
    if (leader) return entry ? serveEntry(reply, request, entry, renderer) : renderer.send(reply, page);
    // Another request rendered it: share it only if it is the same for everyone.
    if (entry) return serveEntry(reply, request, entry, renderer);
    return renderer.handle(request, reply);
  });
}

export const ssrPages = fp(ssrPagesPlugin, { name: '@composable-svelte/ssr-pages', fastify: '5.x' });
