import type { FastifyRequest } from 'fastify';

/** Orchestrator probes and the favicon browsers fetch on their own. */
const EXEMPT_PATHS = new Set(['/health', '/ready', '/favicon.ico']);
const ASSET_PREFIX = '/assets/';
/**
 * A build asset name: segments of letters, digits, `_` and `-` joined by single dots or slashes.
 * No `..`, no dotfile, no encoding, no empty segment: what a bundler writes, nothing a probe needs.
 */
const ASSET_PATH = /^\/assets\/[\w-]+(?:[./][\w-]+)*$/;

/** The methods probes and assets answer; the method guard refuses every other one on them. */
export const EXEMPT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** Whether `path` (no query) is a probe, the favicon or under /assets/: where exemptions apply. */
export function isProbeOrAssetPath(path: string): boolean {
  return EXEMPT_PATHS.has(path) || path.startsWith(ASSET_PREFIX);
}

/**
 * Whether the request URL is exactly a probe, the favicon or a well-formed asset name, with no
 * query string: anything else on those paths (`/assets/a..b`, `/favicon.ico?x`) ends in an error
 * page, and error pages are what a rate-limited client must not get for free.
 */
export function isExemptUrl(url: string): boolean {
  return EXEMPT_PATHS.has(url) || ASSET_PATH.test(url);
}

const counted = new WeakSet<FastifyRequest>();

/** Makes the limiter count this request whatever `skip` says (the method guard knows more). */
export function countEvenIfExempt(request: FastifyRequest): void {
  counted.add(request);
}

export function mustCount(request: FastifyRequest): boolean {
  return counted.has(request);
}

/**
 * Requests the limiter does not count: reads (GET/HEAD) of fingerprinted static assets (a page load
 * fetches many, and the CDN or browser cache absorbs repeats), of orchestrator probes (a throttled
 * probe would restart a healthy instance) and of the favicon, each on its exact URL and served by
 * its own route, not by a catch-all page route or the not-found handler. Any other method on those
 * paths is counted (and refused with 405 by the method guard).
 */
export function defaultSkip(request: FastifyRequest): boolean {
  if (!EXEMPT_METHODS.has(request.method) || request.is404 || !isExemptUrl(request.url)) return false;
  const route = request.routeOptions.url;
  return route === request.url || (request.url.startsWith(ASSET_PREFIX) && route?.startsWith(ASSET_PREFIX) === true);
}
