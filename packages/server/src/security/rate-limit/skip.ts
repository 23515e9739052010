import type { FastifyRequest } from 'fastify';

/**
 * Requests the limiter does not count: fingerprinted static assets (a page load fetches many, and
 * the CDN or browser cache absorbs repeats), orchestrator probes (a throttled probe would restart a
 * healthy instance) and the favicon browsers fetch on their own.
 */
export function defaultSkip(request: FastifyRequest): boolean {
  const path = request.url.split('?', 1)[0]!;
  if (path.startsWith('/assets/')) return true;
  if (path === '/health' || path === '/ready') return true;
  return path === '/favicon.ico' && (request.method === 'GET' || request.method === 'HEAD');
}
