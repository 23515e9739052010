import { negotiateLocale, type Locales } from '@composable-svelte/core/i18n';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { safeNext } from '../auth/safe-next.js';
import { HttpError } from '../errors/http-error.js';
import { addVary } from '../http/representation.js';
import { requestPath } from '../render/page-renderer.js';
import { requestLocale } from './request-locale.js';

export interface LocaleRoutingOptions {
  readonly locales: Locales;
  /** The cookie that remembers a visitor's choice; default `locale`. */
  readonly cookieName?: string;
  /** Cookies only over HTTPS (the server's PUBLIC_URL); default true. */
  readonly secureCookie?: boolean;
}

const YEAR_S = 365 * 86_400;
const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';

/**
 * Locales in URLs, as a site's visitors meet them. The URL decides a page's language; the
 * `locale` cookie and Accept-Language only choose where `/` sends a visitor (the default locale's
 * home is served, another one's is a redirect). `GET /locale/:locale?next=` is the switcher: it
 * remembers the choice and goes to `next` in that locale, without JavaScript. Every HTML answer
 * says its language in Content-Language; answers at `/` vary on what chose them.
 */
async function localeRoutingPlugin(fastify: FastifyInstance, options: LocaleRoutingOptions): Promise<void> {
  const { locales } = options;
  const cookieName = options.cookieName ?? 'locale';
  /** Whether a path already names a locale (`/fr`, `/fr/x`, `/fr?x`): a redirect there is left alone. */
  const hasLocalePrefix = (path: string) => locales.isLocale(/^\/([^/?#]*)/.exec(path)?.[1]);
  // The unprefixed home only: `/fr` is the French home, whatever the visitor's languages.
  const isHome = (request: FastifyRequest) => {
    const path = requestPath(request.originalUrl);
    return path === '/' || path.startsWith('/?');
  };

  // Callback-style hooks: they run on every request, and an async hook costs a promise and a
  // microtask each time.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!isRead(request) || !isHome(request)) {
      done();
      return;
    }
    addVary(reply, 'cookie', 'accept-language');
    const remembered = request.cookies?.[cookieName];
    const chosen = locales.isLocale(remembered)
      ? remembered
      : (negotiateLocale(request.headers['accept-language'], locales.locales) ?? locales.defaultLocale);
    if (chosen === locales.defaultLocale) {
      done();
      return;
    }
    // Chosen per visitor: a shared cache must not hand this redirect to the next one.
    reply.header('cache-control', 'private, no-store');
    // Answering from the hook ends the request here: `done` is not called.
    reply.redirect(locales.localize(chosen, requestPath(request.url)), 302);
  });

  // The switcher's own redirect names its target locale; every other one stays in the request's.
  const switching = new WeakSet<FastifyRequest>();

  fastify.addHook('onSend', (request, reply, payload, done) => {
    // Most answers (JSON, assets) need neither: the locale is read only for a page or a redirect.
    const isPage = /^text\/html\b/.test(String(reply.getHeader('content-type') ?? ''));
    const location = reply.getHeader('location');
    const isLocalRedirect =
      reply.statusCode >= 300 &&
      reply.statusCode < 400 &&
      typeof location === 'string' &&
      location.startsWith('/') &&
      !location.startsWith('//');
    if (!isPage && !isLocalRedirect) {
      done(null, payload);
      return;
    }
    const locale = requestLocale(request, locales, locales.defaultLocale);
    if (isPage && !reply.hasHeader('content-language')) reply.header('content-language', locale);
    // A form posted from a French page (`/fr/login`) that redirects to `/account` lands on
    // `/fr/account`: handlers write plain paths, and the reader stays in their language.
    if (isLocalRedirect && locale !== locales.defaultLocale && !switching.has(request) && !hasLocalePrefix(location))
      reply.header('location', locales.localize(locale, location));
    done(null, payload);
  });

  fastify.get<{ Params: { locale: string }; Querystring: { next?: string } }>(
    '/locale/:locale',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { next: { type: 'string', maxLength: 2048 } },
          additionalProperties: true,
        },
      },
    },
    async (request, reply: FastifyReply) => {
      const { locale } = request.params;
      switching.add(request);
      if (!locales.isLocale(locale))
        throw new HttpError(
          404,
          'UNKNOWN_LOCALE',
          `This site is not in "${locale}": it is in ${locales.locales.join(', ')}.`,
        );
      reply.setCookie(cookieName, locale, {
        path: '/',
        maxAge: YEAR_S,
        sameSite: 'lax',
        httpOnly: true,
        secure: options.secureCookie ?? true,
      });
      // `next` may be the page in any locale: it is taken back to its unprefixed path first.
      const next = locales.split(safeNext(request.query.next)).path;
      return reply.header('cache-control', 'private, no-store').redirect(locales.localize(locale, next), 303);
    },
  );
}

export const localeRouting = fp(localeRoutingPlugin, { name: '@composable-svelte/locale-routing', fastify: '5.x' });
