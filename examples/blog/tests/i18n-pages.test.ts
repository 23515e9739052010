/**
 * The blog in English and French: the URL's prefix decides the interface's language (`/fr/…`),
 * posts keep theirs (marked `lang="en"` on French pages), every page lists its alternates, the
 * browser gets only its page's locale's messages, and forms answer and redirect in the language
 * of the page they were sent from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDir, readClientManifest } from './support/client-build.js';
import { loadBuiltApp } from './support/built-server.js';
import { FormBrowser, type BlogServer } from './support/form-browser.js';
import { TEST_ENV } from './support/test-env.js';

const ORIGIN = 'https://blog.example.com';
let server: BlogServer;

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({
    env: {
      ...TEST_ENV,
      NODE_ENV: 'production',
      DATABASE_DIR: 'memory://',
      PUBLIC_URL: ORIGIN,
      RATE_LIMIT_ENABLED: 'false',
    },
  });
}, 60_000);
afterAll(() => server?.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  server.inject({ url, headers: { accept: 'text/html', ...headers } });
const h1Of = (body: string) => /<h1[^>]*>([^<]*)<\/h1>/.exec(body)?.[1];
const chunkOf = (key: string) => `/${readClientManifest()[key]!.file}`;

describe('the blog in two languages', () => {
  it('serves the French interface under /fr, with posts marked as English', async () => {
    const home = await get('/fr');
    expect(home.statusCode).toBe(200);
    expect(home.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(home.headers['content-language']).toBe('fr');
    expect(h1Of(home.body)).toBe('Derniers essais');
    expect(home.body).toContain('<a class="skip-link" href="#main">Aller au contenu</a>');
    // Links stay in French; post titles and excerpts say they are English.
    expect(home.body).toMatch(/<h2 lang="en"><a href="\/fr\/posts\/\d+"/);
    expect(home.body).toMatch(/\d+ commentaires?|aucun commentaire/);

    const post = await get('/fr/posts/1');
    expect(post.body).toMatch(/<h1 tabindex="-1" lang="en">/);
    expect(post.body).toMatch(/<div class="post-body" lang="en">/);
    expect(post.body).toMatch(/Lire (le commentaire|les commentaires|les \d+ commentaires) sur « /);

    const english = await get('/');
    expect(h1Of(english.body)).toBe('Latest essays');
    expect(english.body).not.toMatch(/<h2 lang=/);
  });

  it('names its canonical URL and its alternates in every language', async () => {
    const page = (await get('/fr/posts/1/comments')).body;
    expect(page).toContain(`<link rel="canonical" href="${ORIGIN}/fr/posts/1/comments"/>`);
    for (const [lang, href] of [
      ['en', `${ORIGIN}/posts/1/comments`],
      ['fr', `${ORIGIN}/fr/posts/1/comments`],
      ['x-default', `${ORIGIN}/posts/1/comments`],
    ])
      expect(page).toContain(`<link rel="alternate" hreflang="${lang}" href="${href}"/>`);
    // Pages that are not the canonical version of anything list no alternates.
    expect((await get('/fr/nothing-here')).body).not.toContain('hreflang="x-default"');
  });

  it('answers an unknown locale, and the default one as a prefix, with not found', async () => {
    for (const url of ['/de/posts/1', '/en/posts/1', '/fr/fr/posts/1'])
      expect((await get(url)).statusCode, url).toBe(404);
    expect(h1Of((await get('/fr/nothing-here')).body)).toBe('Page introuvable');
  });

  it('sends / to the language the visitor chose, else the one their browser prefers', async () => {
    expect((await get('/', { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' })).headers.location).toBe('/fr');
    expect((await get('/', { 'accept-language': 'en-US,en;q=0.9' })).statusCode).toBe(200);
    const switched = await get('/locale/en?next=%2Ffr%2Fposts%2F2');
    expect(switched.headers.location).toBe('/posts/2');
    const cookie = String(switched.headers['set-cookie']).split(';')[0]!;
    expect((await get('/', { cookie, 'accept-language': 'fr' })).statusCode).toBe(200);
    // The switcher is on every page, pointing back at the page itself.
    expect((await get('/posts/2')).body).toContain(
      'href="/locale/fr?next=%2Fposts%2F2" hreflang="fr" lang="fr">Français</a>',
    );
  });

  it("preloads the page locale's messages only, and no chunk but a locale's own holds its texts", async () => {
    const english = chunkOf('src/shared/i18n/en.ts');
    const french = chunkOf('src/shared/i18n/fr.ts');
    const frenchPage = (await get('/fr')).body;
    expect(frenchPage).toContain(`<link rel="modulepreload" href="${french}"`);
    expect(frenchPage).not.toContain(english);
    const englishPage = (await get('/')).body;
    expect(englishPage).toContain(`<link rel="modulepreload" href="${english}"`);
    expect(englishPage).not.toContain(french);

    const assets = join(clientDir, 'assets');
    for (const file of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
      const code = readFileSync(join(assets, file), 'utf8');
      const path = `/assets/${file}`;
      if (path !== french) expect(code, file).not.toContain('Derniers essais');
      if (path !== english) expect(code, file).not.toContain('Latest essays');
    }
  });

  it("preloads the post and error pages' messages with those pages only, in the page's locale", async () => {
    const english = chunkOf('src/shared/i18n/en-reading.ts');
    const french = chunkOf('src/shared/i18n/fr-reading.ts');
    for (const url of ['/', '/login']) expect((await get(url)).body, url).not.toContain(english);
    for (const url of ['/posts/1', '/posts/1/comments', '/subscribe', '/no/such/page']) {
      const page = (await get(url)).body;
      expect(page, url).toContain(`<link rel="modulepreload" href="${english}"`);
      expect(page, url).not.toContain(french);
    }
    expect((await get('/fr/posts/1')).body).toContain(`<link rel="modulepreload" href="${french}"`);
  });

  it("preloads the member pages' messages with those pages only, in the page's locale", async () => {
    const english = chunkOf('src/shared/i18n/en-member.ts');
    const french = chunkOf('src/shared/i18n/fr-member.ts');
    for (const url of ['/', '/posts/1', '/posts/1/comments', '/subscribe']) {
      const page = (await get(url)).body;
      expect(page, url).not.toContain(english);
      expect(page, url).not.toContain(french);
    }
    const login = (await get('/login')).body;
    expect(login).toContain(`<link rel="modulepreload" href="${english}"`);
    expect(login).toContain(`<link rel="modulepreload" href="${chunkOf('src/shared/i18n/en.ts')}"`);
    expect(login).not.toContain(french);
    const frenchLogin = (await get('/fr/login')).body;
    expect(frenchLogin).toContain(`<link rel="modulepreload" href="${french}"`);
    expect(frenchLogin).not.toContain(english);
    // The sign-in page's own texts are in the member chunk, not in the one every page loads.
    const code = (path: string) => readFileSync(join(clientDir, path), 'utf8');
    expect(code(english)).toContain('Forgot your password?');
    expect(code(chunkOf('src/shared/i18n/en.ts'))).not.toContain('Forgot your password?');
  });

  it('answers and redirects a form in the language of the page it was sent from', async () => {
    const browser = new FormBrowser(server);
    await browser.get('/fr/login');
    const refused = await browser.post('/fr/login', { email: 'nobody@example.org', password: 'wrong-password-123' });
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(h1Of(refused.body)).toBe('Se connecter');

    // A page that needs an account sends to the French sign-in page, and back to itself.
    const account = await get('/fr/account');
    expect(account.statusCode).toBe(303);
    expect(account.headers.location).toBe('/fr/login?next=%2Ffr%2Faccount');

    const reader = new FormBrowser(server);
    await reader.get('/fr/signup');
    const signedUp = await reader.post('/fr/signup', {
      name: 'Camille',
      email: `camille-${Date.now()}@example.org`,
      password: 'copper-meadow-violin-73',
    });
    expect(signedUp.statusCode).toBe(303);
    expect(signedUp.headers.location).toBe('/fr');
  });
  it("shows a signed-in reader's account page and the server's own messages in French", async () => {
    const reader = new FormBrowser(server);
    await reader.get('/fr/signup');
    const signedUp = await reader.post('/fr/signup', {
      name: 'Dominique',
      email: `dominique-${Date.now()}@example.org`,
      password: 'copper-meadow-violin-73',
    });
    expect(signedUp.statusCode).toBe(303);
    // The welcome flash is written by the blog, in the language of the form it answers.
    const welcomed = await reader.get('/fr');
    expect(welcomed.body).toContain('Bienvenue, Dominique. Vous êtes connecté·e.');

    const account = await reader.get('/fr/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toMatch(/^<!doctype html><html lang="fr">/);
    expect(account.body).toContain('<title>Votre compte — Field Notes</title>');
    expect(h1Of(account.body)).toBe('Votre compte');
    for (const french of [
      'Où vous êtes connecté·e',
      'Se déconnecter partout',
      'Clés d’API',
      'Changer votre mot de passe',
    ])
      expect(account.body).toContain(french);
    // Its forms post to the French routes, so what they answer is French too.
    expect(account.body).toContain('action="/fr/account/sign-out-everywhere"');
    expect(account.body).toContain('action="/fr/account/keys"');
    for (const english of [
      'Your account',
      'Where you are signed in',
      'Sign out everywhere',
      'API keys',
      'Change your password',
      'last seen',
    ])
      expect(account.body).not.toContain(english);

    // A refusal the blog writes itself is French on the page, English in the JSON answer.
    const refused = await reader.post('/fr/account/keys', { name: 'script' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Choisissez au moins une portée pour la clé.');
    const asJson = await server.inject({
      method: 'POST',
      url: '/fr/account/keys',
      headers: {
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: reader.cookieHeader(),
      },
      payload: new URLSearchParams({ _csrf: reader.token, name: 'script' }).toString(),
    });
    expect(asJson.statusCode).toBe(400);
    expect(asJson.json()).toMatchObject({ error: { message: 'Choose at least one scope for the key.' } });
    const changed = await reader.post('/fr/account', {
      currentPassword: 'copper-meadow-violin-73',
      newPassword: 'walnut-harbour-signal-58',
    });
    expect(changed.headers.location).toBe('/fr/account');
    expect((await reader.get('/fr/account')).body).toContain(
      'Votre mot de passe est changé. Vos autres appareils sont déconnectés.',
    );
  });
});
