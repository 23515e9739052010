import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden } from '../errors/http-error.js';

export interface CsrfOptions {
  /**
   * The site's public origin (PUBLIC_URL); requests whose Origin differs are refused. The request's
   * own Host never counts: DNS rebinding and proxies passing X-Forwarded-Host choose it.
   */
  readonly publicOrigin: string;
  /** Other origins trusted to send state-changing requests (the CORS allow-list); they still need a token. */
  readonly allowedOrigins?: readonly string[];
  /**
   * Secure cookies in production; browsers treat localhost as secure, so tests keep working. An
   * https publicOrigin makes the cookie Secure whatever this says.
   */
  readonly secureCookie: boolean;
  /** Overrides {@link csrfCookieName}'s choice. */
  readonly cookieName?: string;
}

/** The CSRF cookie's name when the site is served over HTTPS. */
export const CSRF_COOKIE_NAME = '__Host-cs_csrf';
/** Its name on plain-HTTP localhost (development, local production runs), where `__Host-` cannot be relied on. */
export const CSRF_COOKIE_NAME_PLAIN_HTTP = 'cs_csrf';

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * `__Host-` makes browsers accept the cookie only when it is Secure, for Path=/ and without a
 * Domain: a sibling subdomain or a plain-HTTP page on the network cannot plant or replace it (cookie
 * tossing), which would let an attacker pair their own token with a victim's browser. Browsers
 * treat http://localhost as secure for Secure cookies but not always for prefixes, so a site whose
 * public URL is plain-HTTP localhost uses the unprefixed name.
 */
export function csrfCookieName(publicOrigin: string, secureCookie: boolean): string {
  const url = new URL(publicOrigin);
  const https = url.protocol === 'https:';
  if (!https && LOOPBACK_HOST.test(url.hostname)) return CSRF_COOKIE_NAME_PLAIN_HTTP;
  return https || secureCookie ? CSRF_COOKIE_NAME : CSRF_COOKIE_NAME_PLAIN_HTTP;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false exempts a route (e.g. a webhook that authenticates by signature). */
    csrf?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

function tokenOf(request: FastifyRequest): string | undefined {
  const body = request.body as { _csrf?: unknown } | undefined;
  if (typeof body?._csrf === 'string' && body._csrf) return body._csrf;
  const header = request.headers['x-csrf-token'];
  return typeof header === 'string' && header ? header : undefined;
}

/**
 * Two independent checks on every state-changing request. First, where it comes from: a browser
 * says so in Sec-Fetch-Site and Origin, and anything cross-site is refused. Second, for requests
 * that carry cookies or are form submissions (what a forged request rides on), a token bound to the
 * browser session by a signed, HttpOnly, SameSite=Strict cookie, from the `_csrf` form field or the
 * `x-csrf-token` header. Tokens are generated per request with reply.generateCsrf() and belong on
 * private pages only, never in a shared cached page.
 */
async function csrfPlugin(fastify: FastifyInstance, options: CsrfOptions): Promise<void> {
  const secure = options.secureCookie || options.publicOrigin.startsWith('https:');
  await fastify.register(csrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: options.cookieName ?? csrfCookieName(options.publicOrigin, options.secureCookie),
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure, signed: true },
    getToken: tokenOf,
  });

  const allowed = new Set(options.allowedOrigins ?? []);
  fastify.addHook('preHandler', (request, reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return done();
    const site = request.headers['sec-fetch-site'];
    const trustedCrossOrigin = request.headers.origin !== undefined && allowed.has(request.headers.origin);
    if (site !== undefined && site !== 'same-origin' && site !== 'none' && !trustedCrossOrigin) {
      return done(
        forbidden(`Cross-site request refused: Sec-Fetch-Site is "${site}"`, { details: { code: 'CSRF_CROSS_SITE' } }),
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== options.publicOrigin && !allowed.has(origin)) {
      return done(
        forbidden(`Cross-origin request refused: Origin ${origin} is not this site (${options.publicOrigin})`, {
          details: { code: 'CSRF_ORIGIN' },
        }),
      );
    }
    const carriesCookies = Boolean(request.headers.cookie);
    const isForm = FORM_TYPES.test(request.headers['content-type'] ?? '');
    if (!carriesCookies && !isForm) return done();
    if (!tokenOf(request)) {
      return done(
        forbidden(
          'CSRF token missing: send it in the _csrf form field or the x-csrf-token header. Reload the page and try again.',
          { details: { code: 'CSRF_MISSING' } },
        ),
      );
    }
    fastify.csrfProtection(request, reply, done);
  });
}

export const csrf = fp(csrfPlugin, {
  name: '@composable-svelte/csrf',
  fastify: '5.x',
  dependencies: ['@fastify/cookie'],
});

/** Public messages for the CSRF plugin's own errors, which are terse. */
export const CSRF_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  FST_CSRF_MISSING_SECRET: 'CSRF check failed: this browser has no CSRF cookie. Reload the page and try again.',
  FST_CSRF_INVALID_TOKEN:
    'CSRF check failed: the token does not belong to this browser session. Reload the page and try again.',
};
