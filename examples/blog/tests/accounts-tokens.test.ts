/**
 * API clients on the blog, on both database tiers: an account's e-mail and password get a token
 * pair at POST /api/auth/token; the access token writes a comment as a Bearer credential; a refresh
 * rotates the pair; replaying a spent refresh token revokes its whole family; the public keys are
 * at /.well-known/jwks.json and verify the access token; signing out everywhere ends token sign-ins.
 */
import { databaseTiers } from '@composable-svelte/testing';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import type { BlogServer } from './support/form-browser.js';
import { signedInSession, TEST_PASSWORD as PASSWORD } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

const PUBLIC_URL = 'https://blog.example.com';
const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'test',
  PUBLIC_URL,
  RATE_LIMIT_ENABLED: 'false',
} as const;

interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/** Signs a new account up through the form, as a browser does; returns its session cookie and CSRF pair. */
const signUp = (server: BlogServer, email: string) => signedInSession(server, { name: 'Ada', email });

describe.each(await databaseTiers())('API tokens on the $name database', (tier) => {
  let blog: BlogOnTier | undefined;
  let server: BlogServer;

  beforeAll(async () => {
    blog = await startBlogOnTier(tier, ENV);
    server = blog.server;
  }, 60_000);
  afterAll(() => blog?.close());

  const grant = (email: string, password: string) =>
    server.inject({ method: 'POST', url: '/api/auth/token', payload: { email, password } });
  const refresh = (token: string) =>
    server.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: token } });
  const commentAs = (authorization: string | undefined, body: string) =>
    server.inject({
      method: 'POST',
      url: '/api/posts/2/comments',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      payload: { author: 'Ada', body },
    });

  it('grants tokens for the password, and the access token is a Bearer credential on the API', async () => {
    const email = `tokens-${Date.now()}@example.org`;
    await signUp(server, email);

    const refused = await grant(email, 'not-the-password-at-all');
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'invalid_grant' });

    const granted = await grant(email, PASSWORD);
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.headers['cache-control']).toBe('no-store');
    const pair = granted.json<TokenPair>();
    expect(pair).toMatchObject({ token_type: 'Bearer', expires_in: 900 });

    const written = await commentAs(`Bearer ${pair.access_token}`, 'Written by a script.');
    expect(written.statusCode, written.body).toBe(201);
    expect(written.json()).toMatchObject({ comment: { author: 'Ada', body: 'Written by a script.' } });

    const anonymous = await commentAs(undefined, 'Nobody.');
    expect(anonymous.statusCode).toBe(401);
    // A bad bearer credential is refused, never read as anonymous, even where anonymous may read.
    const forged = await server.inject({ url: '/api/posts', headers: { authorization: 'Bearer a.b.c' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
    // A page (server-rendered, outside the API's routes) refuses it with the same challenge.
    const page = await server.inject({ url: '/posts/1', headers: { authorization: 'Bearer a.b.c' } });
    expect(page.statusCode).toBe(401);
    expect(page.headers['www-authenticate']).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('publishes the JWKS that verifies its access tokens', async () => {
    const email = `jwks-${Date.now()}@example.org`;
    await signUp(server, email);
    const pair = (await grant(email, PASSWORD)).json<TokenPair>();
    const jwks = await server.inject('/.well-known/jwks.json');
    expect(jwks.statusCode).toBe(200);
    const keys = jwks.json<{ keys: Record<string, unknown>[] }>().keys;
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(key).not.toHaveProperty('d');
    }
    const { payload } = await jwtVerify(pair.access_token, createLocalJWKSet({ keys }), { algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ name: 'Ada' });
    expect(typeof payload.sub).toBe('string');
  });

  it('rotates the refresh token, and the reuse of a spent one revokes the whole family', async () => {
    const email = `refresh-${Date.now()}@example.org`;
    await signUp(server, email);
    const first = (await grant(email, PASSWORD)).json<TokenPair>();

    const rotated = await refresh(first.refresh_token);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const second = rotated.json<TokenPair>();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await commentAs(`Bearer ${second.access_token}`, 'After a refresh.')).statusCode).toBe(201);

    // The first token was spent: whoever replays it (a thief, or the owner after a theft) ends the family.
    const replayed = await refresh(first.refresh_token);
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json()).toMatchObject({ error: 'invalid_grant' });
    const afterReuse = await refresh(second.refresh_token);
    expect(afterReuse.statusCode).toBe(401);
    expect(afterReuse.json()).toMatchObject({ error: 'invalid_grant' });

    // Another sign-in of the same account is its own family, untouched.
    const other = (await grant(email, PASSWORD)).json<TokenPair>();
    expect((await refresh(other.refresh_token)).statusCode).toBe(200);
  });

  it('ends token sign-ins when the account signs out everywhere', async () => {
    const email = `everywhere-${Date.now()}@example.org`;
    const browser = await signUp(server, email);
    const pair = (await grant(email, PASSWORD)).json<TokenPair>();
    const out = await server.inject({
      method: 'POST',
      url: '/account/sign-out-everywhere',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookie },
      payload: new URLSearchParams({ _csrf: browser.token }).toString(),
    });
    expect(out.statusCode, out.body).toBe(303);
    const ended = await refresh(pair.refresh_token);
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('revoked'),
    });
  });
});
