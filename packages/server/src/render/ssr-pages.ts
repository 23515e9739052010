import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  preParsingHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { PageCache } from '../cache/page-cache.js';
import type { PageEntry } from '../cache/page-entry.js';
import { createHitReplay } from '../cache/hit-replay.js';
import { addVary, negotiateEncoding } from '../http/representation.js';
import type { PageCapture } from '../prerender/page-capture.js';
import type { PrerenderedPages } from '../prerender/prerendered-files.js';
import type { PageRenderer } from './page-renderer.js';
import '../auth/fastify-types.js';

export interface SsrPagesOptions {
  readonly renderer: PageRenderer;
  /** Public pages are served from here (stale-while-revalidate, single flight); default `fastify.pageCache`. */
  readonly cache?: PageCache;
  /** Extra key dimensions, from AppDefinition.cacheKey. */
  readonly cacheKey?: (request: FastifyRequest) => string;
  /** Adds `x-cache: HIT|MISS|STALE` (development). */
  readonly debugHeader?: boolean;
  /** Serve the stored br/gzip variants; false sends the identity body (COMPRESSION_ENABLED=false, PRESET=off). */
  readonly compressed?: boolean;
  /** Pages smaller than this are sent as they are, as for dynamic responses. */
  readonly compressThresholdBytes?: number;
  /**
   * The app's page requirements (AppDefinition.auth through `fastify.authorize`), checked before
   * the cache: resolves the reply when it redirected to sign in, throws 401/403; undefined when
   * the page has no requirement.
   */
  readonly authorize?: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> | undefined;
  /**
   * Sign-in is on: a request with a viewer is rendered for them and never served from or stored
   * in the cache, and every page varies on Cookie so no browser or CDN hands a signed-out copy to
   * a signed-in visitor (or the reverse).
   */
  readonly viewers?: boolean;
  /**
   * Pages rendered at build time, by page-cache key (`loadPrerenderedPages`): served to the same
   * requests the page cache would serve, before it, and never invalidated.
   */
  readonly prerendered?: PrerenderedPages;
  /** The prerender step's view of rendering: while it is active every page is rendered and recorded. */
  readonly capture?: PageCapture;
}

function serveEntry(
  reply: FastifyReply,
  request: FastifyRequest,
  entry: PageEntry,
  renderer: PageRenderer,
  compressed: (entry: PageEntry) => boolean,
): FastifyReply {
  reply.header('etag', entry.etag).header('last-modified', entry.lastModified).header('link', renderer.linkHeader);
  addVary(reply, 'accept-encoding');
  reply.type('text/html; charset=utf-8');
  // Variants were compressed once, when the page was stored; compression plugins skip encoded bodies.
  // The representation's final step gives the encoded body its own ETag and answers conditionals.
  const encoding = compressed(entry) ? negotiateEncoding(request) : 'identity';
  if (encoding === 'br') return reply.header('content-encoding', 'br').send(entry.br);
  if (encoding === 'gzip') return reply.header('content-encoding', 'gzip').send(entry.gzip);
  return reply.send(entry.body);
}

/**
 * A page whose response sets a cookie is private: it must never be stored and shared. Cookies are
 * written by @fastify/cookie only when the response is sent, so the call itself is what marks it.
 * One function shared by every reply (`this` is the reply; the cookie plugin's own method is next
 * on its prototype chain): a closure made per request, capturing its reply, was allocated by V8's
 * optimized code straight into the old generation, and kept each request's objects alive through
 * every young-generation collection (docs/performance-server.md).
 */
function privateSetCookie(this: FastifyReply, ...args: Parameters<FastifyReply['setCookie']>): FastifyReply {
  this.header('cache-control', 'private, no-store');
  return (Object.getPrototypeOf(this) as FastifyReply).setCookie.apply(this, args);
}

function markPrivateOnSetCookie(_request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  if (reply.setCookie) reply.setCookie = privateSetCookie;
  done();
}

/** Every GET (and HEAD) not claimed by another route is a page of the app. */
async function ssrPagesPlugin(fastify: FastifyInstance, options: SsrPagesOptions): Promise<void> {
  const { renderer } = options;
  const cache = options.cache ?? fastify.pageCache;
  const threshold = options.compressThresholdBytes ?? 0;
  const compressed = (entry: PageEntry) => (options.compressed ?? true) && entry.body.length >= threshold;
  // The API prefix is JSON territory: an unknown GET there gets the JSON 404, not an HTML page.
  const isApi = (request: FastifyRequest) =>
    request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?');
  const { authorize } = options;
  // Callback-style: a public page (most of them) has nothing to wait for here, and an async hook
  // would cost every request a promise and a microtask.
  const preHandler = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (isApi(request)) return done();
    if (options.viewers) addVary(reply, 'cookie');
    const authorizing = authorize?.(request, reply);
    if (authorizing === undefined) return done();
    // A redirect to sign in answered the request: the handler must not run.
    authorizing.then(() => {
      if (!reply.sent) done();
    }, done);
  };
  const keyOf = (request: FastifyRequest) =>
    `GET ${renderer.cachePath(request)}${options.cacheKey ? `|${options.cacheKey(request)}` : ''}`;
  const mark = (reply: FastifyReply, state: string) => {
    if (options.debugHeader) reply.header('x-cache', state);
  };
  const { capture } = options;
  const prerendered = options.prerendered ?? new Map<string, PageEntry>();
  // Hits are replayed only where their freshness is known at once: memory, or prerendered pages.
  const replay = cache?.store.peek || prerendered.size > 0 ? createHitReplay() : undefined;
  replay?.decorate(fastify);
  const unchanging = () => true;
  // The replay point is the last step before the body is read: every onRequest step, the rate
  // limiter's included, has run by then.
  const replayPoint: preParsingHookHandler = (request, reply, payload, done) => {
    if (!capture?.active) replay!.replay(request, reply);
    done(null, payload);
  };
  const rememberHit: onResponseHookHandler = (request, reply, done) => {
    replay!.sent(request, reply);
    done();
  };
  const replayHooks = replay ? { preParsing: replayPoint, onResponse: rememberHit } : {};

  fastify.get('/*', { onRequest: markPrivateOnSetCookie, preHandler, ...replayHooks }, async (request, reply) => {
    if (isApi(request)) return reply.callNotFound();
    if (capture?.active) {
      const page = await renderer.render(request, reply);
      capture.record({ key: keyOf(request), page });
      return renderer.send(reply, page);
    }
    // A signed-in request is rendered for its viewer: never a copy made for everyone (cached or prerendered).
    // Without copies to serve, the key (a parse of the URL) is not worth computing.
    if (request.principal || (!cache && prerendered.size === 0)) return renderer.handle(request, reply);
    const key = keyOf(request);
    const built = prerendered.get(key);
    if (built) {
      replay?.served(reply, { key, entry: built, current: unchanging });
      mark(reply, 'PRERENDERED');
      return serveEntry(reply, request, built, renderer, compressed);
    }
    if (!cache) return renderer.handle(request, reply);
    const found = await cache.lookup(key);
    if (found) {
      if (found.state === 'stale') cache.refresh(key, () => renderer.render(request, reply));
      else replay?.served(reply, { key, entry: found.entry, current: cache.isFresh });
      mark(reply, found.state === 'fresh' ? 'HIT' : 'STALE');
      return serveEntry(reply, request, found.entry, renderer, compressed);
    }
    const { page, entry, leader } = await cache.render(key, () => renderer.render(request, reply));
    mark(reply, 'MISS');
    if (leader) return entry ? serveEntry(reply, request, entry, renderer, compressed) : renderer.send(reply, page);
    // Another request rendered it: share it only if it is the same for everyone.
    if (entry) return serveEntry(reply, request, entry, renderer, compressed);
    return renderer.handle(request, reply);
  });
}

export const ssrPages = fp(ssrPagesPlugin, { name: '@composable-svelte/ssr-pages', fastify: '5.x' });
