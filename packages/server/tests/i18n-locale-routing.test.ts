/**
 * A site in two locales: the URL's prefix decides a page's language (`<html lang>`,
 * Content-Language, what `load` sees) and its page-cache entry; `/` sends a visitor to their
 * locale by cookie, else Accept-Language; `/locale/:locale` switches and remembers.
 */
import { Writable } from 'node:stream';
import { defineLocales } from '@composable-svelte/core/i18n';
import { describe, expect, it } from 'vitest';
import { fixtureApp } from './fixtures/app.js';
import { closeTestServers, startTestServer } from './support/test-server.js';

closeTestServers();

const locales = defineLocales({ locales: ['en', 'fr'], defaultLocale: 'en' });

function localizedApp() {
  const app = fixtureApp({ signals: [] });
  return {
    ...app,
    lang: undefined,
    locales,
    load: (...args: Parameters<typeof app.load>) => {
      const loaded = app.load(...args);
      return { ...loaded, state: { ...loaded.state, title: `${loaded.state.title} (${args[2].locale})` } };
    },
  };
}

const start = async () =>
  (
    await startTestServer({
      app: localizedApp(),
      // A form handler that refuses its input, answering with the page again (as the blog's do).
      routes: async (fastify) => {
        fastify.post('/items/:id', { config: { rateLimit: false } }, (request, reply) =>
          fastify.renderPage(request, reply, 400),
        );
        // A form handler that succeeds: it redirects to a plain path, or to one naming a locale.
        fastify.post<{ Querystring: { to?: string } }>('/done', (request, reply) =>
          reply.redirect(request.query.to ?? '/items/1#top', 303),
        );
      },
      security: { csrf: false },
    })
  ).server;
const titleOf = (body: string) => /<h1>([^<]*)<\/h1>/.exec(body)?.[1];

describe('locales in URLs', () => {
  it('serves each locale at its prefix, in its language, and only there', async () => {
    const server = await start();
    const french = await server.inject({ url: '/fr/items/3' });
    expect(french.statusCode).toBe(200);
    expect(titleOf(french.body)).toBe('Item 3 (fr)');
    expect(french.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(french.headers['content-language']).toBe('fr');

    const english = await server.inject({ url: '/items/3' });
    expect(titleOf(english.body)).toBe('Item 3 (en)');
    expect(english.body).toMatch(/^<!doctype html><html lang="en">/);
    expect(english.headers['content-language']).toBe('en');

    // An unknown locale, and the default one's prefix, are no addresses of this site.
    for (const url of ['/de/items/3', '/en/items/3']) {
      const missing = await server.inject({ url });
      expect(missing.statusCode, url).toBe(404);
      expect(missing.headers['content-language']).toBe('en');
    }
    expect((await server.inject({ url: '/fr/nothing' })).headers['content-language']).toBe('fr');
  });

  it("answers a form posted from a page in that page's locale", async () => {
    const server = await start();
    const french = await server.inject({ method: 'POST', url: '/fr/items/5', payload: {} });
    expect(french.statusCode).toBe(400);
    expect(french.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(french.headers['content-language']).toBe('fr');
    expect(titleOf(french.body)).toBe('Item 5 (fr)');
    const english = await server.inject({ method: 'POST', url: '/items/5', payload: {} });
    expect(english.body).toMatch(/^<!doctype html><html lang="en">/);
  });

  it('keeps a redirect after a form in the locale of the page the form was on', async () => {
    const server = await start();
    const post = async (url: string) => (await server.inject({ method: 'POST', url, payload: {} })).headers.location;
    expect(await post('/fr/done')).toBe('/fr/items/1#top');
    expect(await post('/done')).toBe('/items/1#top');
    expect(await post('/fr/done?to=%2F')).toBe('/fr');
    // A target that names its locale, or leaves the site, is left as it is.
    expect(await post('/fr/done?to=%2Ffr%2Fitems%2F2')).toBe('/fr/items/2');
    expect(await post('/fr/done?to=%2Fen%2Fitems%2F2')).toBe('/en/items/2');
    expect(await post('/fr/done?to=https%3A%2F%2Fexample.org%2F')).toBe('https://example.org/');
    // The switcher's redirect goes where it says, whatever page it was reached from.
    expect((await server.inject({ url: '/fr/locale/en?next=%2Ffr%2Fitems%2F3' })).headers.location).toBe('/items/3');
  });

  it('logs the URL the client asked for, prefix included', async () => {
    const lines: { msg?: string; url?: string; route?: string }[] = [];
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')));
        done();
      },
    });
    const { server } = await startTestServer({ app: localizedApp(), env: { LOG_LEVEL: 'info' }, logStream });
    await server.inject({ url: '/fr/items/3' });
    const line = lines.find((entry) => entry.msg === 'request completed');
    expect(line).toMatchObject({ url: '/fr/items/3', route: '/*' });
  });

  it('keeps a cached page per locale', async () => {
    const server = await start();
    for (let round = 0; round < 2; round++) {
      expect(titleOf((await server.inject({ url: '/items/4' })).body)).toBe('Item 4 (en)');
      expect(titleOf((await server.inject({ url: '/fr/items/4' })).body)).toBe('Item 4 (fr)');
      expect(titleOf((await server.inject({ url: '/fr/items/4?utm=x' })).body)).toBe('Item 4 (fr)');
    }
  });

  it('sends / to the remembered locale, else the one the browser prefers', async () => {
    const server = await start();
    const home = (headers: Record<string, string>, url = '/') => server.inject({ url, headers });

    const french = await home({ 'accept-language': 'fr-CA, en;q=0.5' });
    expect(french.statusCode).toBe(302);
    expect(french.headers.location).toBe('/fr');
    expect(french.headers['cache-control']).toBe('private, no-store');
    expect(String(french.headers.vary).toLowerCase()).toMatch(/cookie.*accept-language|accept-language.*cookie/);
    expect((await home({ 'accept-language': 'fr' }, '/?ref=mail')).headers.location).toBe('/fr?ref=mail');

    const english = await home({ 'accept-language': 'de, en;q=0.8' });
    expect(english.statusCode).toBe(200);
    expect(titleOf(english.body)).toMatch(/\(en\)$/);
    expect(String(english.headers.vary).toLowerCase()).toContain('accept-language');
    expect((await home({})).statusCode).toBe(200);

    // The cookie is the visitor's own choice: it wins over the browser's languages.
    expect((await home({ cookie: 'locale=fr', 'accept-language': 'en' })).headers.location).toBe('/fr');
    expect((await home({ cookie: 'locale=en', 'accept-language': 'fr' })).statusCode).toBe(200);
    expect((await home({ cookie: 'locale=xx', 'accept-language': 'fr' })).headers.location).toBe('/fr');
    // Only / chooses: any other address is in the locale it names.
    expect((await home({ 'accept-language': 'fr' }, '/items/3')).statusCode).toBe(200);
  });

  it('switches locale from any page, remembering the choice, without leaving the site', async () => {
    const server = await start();
    const toFrench = await server.inject({ url: '/locale/fr?next=%2Fitems%2F3%3Fa%3D1' });
    expect(toFrench.statusCode).toBe(303);
    expect(toFrench.headers.location).toBe('/fr/items/3?a=1');
    const cookie = String(toFrench.headers['set-cookie']);
    expect(cookie).toMatch(/^locale=fr; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/);

    expect((await server.inject({ url: '/locale/en?next=%2Ffr%2Fitems%2F3' })).headers.location).toBe('/items/3');
    expect((await server.inject({ url: '/locale/fr' })).headers.location).toBe('/fr');
    expect((await server.inject({ url: '/locale/fr?next=%2F%2Fevil.example%2Fx' })).headers.location).toBe('/fr');

    const unknown = await server.inject({ url: '/locale/de', headers: { accept: 'application/json' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'UNKNOWN_LOCALE' } });
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });
});
