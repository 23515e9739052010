import type { FastifyRequest } from 'fastify';

/** API paths and clients that ask for JSON (and not HTML) get JSON errors; browsers get pages. */
export function wantsJson(request: FastifyRequest, apiPrefix = '/api/'): boolean {
  if (request.url.startsWith(apiPrefix) || request.url === apiPrefix.slice(0, -1)) return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}
