import type { Locales } from '@composable-svelte/core/i18n';
import type { FastifyRequest } from 'fastify';
import { requestPath } from '../render/page-renderer.js';

/**
 * The locale a request's URL names. With `locales`, the server takes the prefix off every URL
 * before routing (Fastify's `rewriteUrl`: `/fr/login` is the `/login` route), so a form posted
 * from a French page is answered in French; the prefix is then only in `originalUrl`.
 */
export function requestLocale(request: FastifyRequest, locales: Locales | undefined, fallback: string): string {
  return locales ? locales.split(requestPath(request.originalUrl)).locale : fallback;
}
