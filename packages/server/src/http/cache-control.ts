import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Cache-Control for this route's successful responses, replacing the preset. */
    cacheControl?: string;
  }
}

export interface CacheControlOptions {
  /** For public HTML pages, e.g. `public, max-age=60, stale-while-revalidate=600`. */
  readonly page: string;
  /** For JSON GET responses that set none. */
  readonly api: string;
}

const PRIVATE = 'private, no-store';

/**
 * Cache-Control presets, applied last so handlers can still choose. Two rules are not negotiable:
 * a response that sets a cookie is private (a shared cache must never hand one visitor's cookie to
 * another), and errors are not stored.
 */
async function cacheControlPlugin(fastify: FastifyInstance, options: CacheControlOptions): Promise<void> {
  // Callback-style: onSend runs on every response, and an async hook costs a promise and a
  // microtask each time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const value = cacheControlFor(request, reply, options);
    if (value !== undefined) reply.header('cache-control', value);
    done(null, payload);
  });
}

/** The Cache-Control this response gets, or undefined to keep the one its handler chose. */
function cacheControlFor(
  request: FastifyRequest,
  reply: FastifyReply,
  options: CacheControlOptions,
): string | undefined {
  if (reply.hasHeader('set-cookie')) return PRIVATE;
  const status = reply.statusCode;
  if (status >= 400 || (request.method !== 'GET' && request.method !== 'HEAD')) return 'no-store';
  if (reply.hasHeader('cache-control')) return undefined;
  const routeChoice = request.routeOptions.config?.cacheControl;
  if (routeChoice) return routeChoice;
  const type = String(reply.getHeader('content-type') ?? '');
  if (status === 200 && type.startsWith('text/html')) return options.page;
  if (status === 200 && type.includes('json')) return options.api;
  return 'no-store';
}

/** The response may not be shared: it sets a cookie, or its Cache-Control says private or no-store. */
export function isPrivateReply(reply: FastifyReply): boolean {
  return reply.hasHeader('set-cookie') || /\b(private|no-store)\b/.test(String(reply.getHeader('cache-control') ?? ''));
}

export const cacheControl = fp(cacheControlPlugin, { name: '@composable-svelte/cache-control', fastify: '5.x' });

/** The page preset from the config's max-age and stale-while-revalidate seconds. */
export function publicPageCacheControl(maxAgeS: number, swrS: number): string {
  return `public, max-age=${maxAgeS}${swrS > 0 ? `, stale-while-revalidate=${swrS}` : ''}`;
}
