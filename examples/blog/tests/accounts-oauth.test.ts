/**
 * Sign-in with an OpenID Connect provider through the blog, against oauth2-mock-server (a real
 * OIDC server on loopback: discovery, JWKS, PKCE-checked codes, signed ID tokens): the login page
 * offers the provider, the round trip signs the reader in where they were going, a forged state
 * or a replayed code is refused, and an unverified address never takes over a password account; on
 * both database tiers.
 */
import { Events, OAuth2Server, type MutableToken } from 'oauth2-mock-server';
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { FormBrowser, type BlogServer } from './support/form-browser.js';
import { TEST_ENV } from './support/test-env.js';

const PUBLIC_URL = 'https://blog.example.com';
const FLOW_COOKIE = '__Host-cs_oauth';

let provider: OAuth2Server;
let server: BlogServer;
/** Claims the next ID token carries over the mock's own. */
let claims: Record<string, unknown>;

beforeAll(async () => {
  provider = new OAuth2Server();
  await provider.issuer.keys.generate('RS256');
  await provider.start(0, '127.0.0.1');
  provider.service.on(Events.BeforeTokenSigning, (token: MutableToken) => Object.assign(token.payload, claims));
});
afterAll(async () => {
  await provider?.stop();
});
beforeEach(() => {
  claims = { sub: 'oidc-ada', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' };
});

interface Callback {
  readonly path: string;
  readonly cookie: string;
}

/** Follows the login page's provider link to the provider and back: the callback the provider sends the browser to. */
async function startSignIn(href: string): Promise<Callback> {
  const started = await server.inject({ url: href, headers: { accept: 'text/html' } });
  expect(started.statusCode, started.body).toBe(302);
  const flow = started.cookies.find((entry) => entry.name === FLOW_COOKIE);
  expect(flow).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
  const atProvider = await fetch(started.headers.location!, { redirect: 'manual' });
  const back = new URL(atProvider.headers.get('location')!);
  expect(back.origin).toBe(PUBLIC_URL);
  return { path: `${back.pathname}${back.search}`, cookie: `${FLOW_COOKIE}=${flow!.value}` };
}

const finish = (callback: Callback) =>
  server.inject({ url: callback.path, headers: { cookie: callback.cookie, accept: 'text/html' } });

function sessionOf(response: Awaited<ReturnType<typeof finish>>): string | undefined {
  const session = response.cookies.find((entry) => entry.name === '__Host-session');
  return session && session.value !== '' ? `__Host-session=${session.value}` : undefined;
}

describe.each(await databaseTiers())('sign-in with an OpenID Connect provider, on the $name database', (tier) => {
  let blog: BlogOnTier | undefined;
  beforeAll(async () => {
    blog = await startBlogOnTier(tier, {
      ...TEST_ENV,
      NODE_ENV: 'production',
      PUBLIC_URL,
      OAUTH_OIDC_ISSUER: provider.issuer.url!,
      OAUTH_OIDC_CLIENT_ID: 'field-notes',
      OAUTH_OIDC_CLIENT_SECRET: 'client-secret',
    });
    server = blog.server;
  }, 60_000);
  afterAll(() => blog?.close());

  it('is offered on the login page and signs the reader in where they were going', { timeout: 30_000 }, async () => {
    const login = await server.inject({ url: '/login?next=%2Faccount', headers: { accept: 'text/html' } });
    const href = /<a href="(\/auth\/oidc\?next=%2Faccount)">Sign in with localhost:\d+<\/a>/.exec(login.body)?.[1];
    expect(href, 'the login page links to the provider').toBeDefined();

    const done = await finish(await startSignIn(href!));
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/account');
    const session = sessionOf(done);
    expect(session).toBeDefined();
    const account = await server.inject({ url: '/account', headers: { accept: 'text/html', cookie: session! } });
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('Signed in as <strong>Ada Lovelace</strong>');

    // The same subject signs the same account in again.
    const again = await finish(await startSignIn('/auth/oidc'));
    expect(again.statusCode).toBe(303);
    const home = await server.inject({ url: '/', headers: { accept: 'text/html', cookie: sessionOf(again)! } });
    expect(home.body).toMatch(/"viewer":\{"id":\d+,"name":"Ada Lovelace"/);
  });

  it('refuses a forged state and a replayed code, signing nobody in', { timeout: 30_000 }, async () => {
    const callback = await startSignIn('/auth/oidc');
    const forged = await finish({ ...callback, path: callback.path.replace(/state=[^&]+/, 'state=attacker-chosen') });
    expect(forged.statusCode).toBe(400);
    expect(sessionOf(forged)).toBeUndefined();

    const fresh = await startSignIn('/auth/oidc');
    expect((await finish(fresh)).statusCode).toBe(303);
    const replayed = await finish(fresh);
    expect(replayed.statusCode).toBeGreaterThanOrEqual(400);
    expect(sessionOf(replayed)).toBeUndefined();
  });

  it('never links an unverified address to an existing password account', { timeout: 30_000 }, async () => {
    const browser = new FormBrowser(server);
    await browser.get('/signup');
    const signup = await browser.post('/signup', {
      name: 'Grace',
      email: 'grace@example.com',
      password: 'quiet-harbour-lantern-58',
    });
    expect(signup.statusCode).toBe(303);
    claims = { sub: 'oidc-mallory', email: 'grace@example.com', email_verified: false, name: 'Mallory' };
    const refused = await finish(await startSignIn('/auth/oidc'));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Sign in with your password instead');
    expect(sessionOf(refused)).toBeUndefined();
  });
});
