import type { FastifyInstance } from 'fastify';
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
  fastify.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (reply.hasHeader('set-cookie')) {
      reply.header('cache-control', PRIVATE);
      return payload;
    }
    const status = reply.statusCode;
    if (status >= 400 || (request.method !== 'GET' && request.method !== 'HEAD')) {
      reply.header('cache-control', 'no-store');
      return payload;
    }
    if (reply.hasHeader('cache-control')) return payload;
    const routeChoice = request.routeOptions.config?.cacheControl;
    if (routeChoice) {
      reply.header('cache-control', routeChoice);
      return payload;
    }
    if (status === 200 && type.startsWith('text/html')) reply.header('cache-control', options.page);
    else if (status === 200 && type.includes('json')) reply.header('cache-control', options.api);
    else reply.header('cache-control', 'no-store');
    return payload;
  });
}

export const cacheControl = fp(cacheControlPlugin, { name: '@composable-svelte/cache-control', fastify: '5.x' });

/** The page preset from the config's max-age and stale-while-revalidate seconds. */
export function publicPageCacheControl(maxAgeS: number, swrS: number): string {
  return `public, max-age=${maxAgeS}${swrS > 0 ? `, stale-while-revalidate=${swrS}` : ''}`;
}
