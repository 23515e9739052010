/**
 * Sign-in with a generic OpenID Connect provider, end to end against oauth2-mock-server (a real
 * OIDC server on loopback: discovery, JWKS, PKCE-checked codes, RS256 ID tokens), on both tiers.
 */
import { eq } from 'drizzle-orm';
import { databaseTiers } from '@composable-svelte/testing';
import { Events, OAuth2Server, type MutableToken } from 'oauth2-mock-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOidcProvider } from '../src/auth/oauth/oidc-provider.js';
import { oauthAccounts } from '../src/auth/oauth/schema.js';
import { users } from '../src/auth/schema.js';
import { APP_ORIGIN, errorCode, finish, oauthHarness, startSignIn } from './support/auth-oauth.js';

const CLIENT_ID = 'field-notes';
let server: OAuth2Server;
/** Claims the next ID tokens carry over the mock's own (sub is always "johndoe" otherwise). */
let claims: Record<string, unknown>;

beforeAll(async () => {
  server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  server.service.on(Events.BeforeTokenSigning, (token: MutableToken) => Object.assign(token.payload, claims));
});
afterAll(() => server.stop());
beforeEach(() => {
  claims = { sub: 'oidc-user-1', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' };
});

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

function provider() {
  return createOidcProvider({
    issuer: server.issuer.url!,
    clientId: CLIENT_ID,
    clientSecret: 'client-secret',
    label: 'Mock IdP',
    redirectUri: `${APP_ORIGIN}/auth/oidc/callback`,
  });
}

describe.each(await databaseTiers())('OIDC sign-in on $name', (tier) => {
  const harness = () => oauthHarness(tier, [provider()], disposers);

  it('creates the account on first sign-in and signs the same account in again', { timeout: 30_000 }, async () => {
    const { app, database, signedIn, events } = await harness();
    const first = await finish(app, await startSignIn(app, 'oidc', '/posts/3'));
    expect(first.statusCode, first.body).toBe(303);
    expect(first.headers.location).toBe('/posts/3');
    // The flow cookie is cleared, whatever else the response sets.
    expect(first.cookies.find((entry) => entry.name === 'cs_oauth')?.value).toBe('');
    expect(first.cookies.find((entry) => entry.name === 'session')?.value).toBe(`user-${signedIn[0]!.id}`);
    expect(signedIn[0]).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace', passwordHash: null });
    expect(signedIn[0]!.emailVerifiedAt).toBeInstanceOf(Date);

    const second = await finish(app, await startSignIn(app, 'oidc'));
    expect(second.statusCode, second.body).toBe(303);
    expect(second.headers.location).toBe('/');
    expect(signedIn[1]!.id).toBe(signedIn[0]!.id);
    expect(await database.db.select().from(users)).toHaveLength(1);
    expect(await database.db.select().from(oauthAccounts)).toEqual([
      expect.objectContaining({ provider: 'oidc', subject: 'oidc-user-1', userId: signedIn[0]!.id }),
    ]);
    expect(events.map((event) => event.type)).toEqual(['oauth.account-created', 'oauth.signed-in']);
  });

  it('refuses a callback whose state is not the one this browser started with', { timeout: 30_000 }, async () => {
    const { app, signedIn, database } = await harness();
    const callback = await startSignIn(app, 'oidc');
    const forged = callback.path.replace(/state=[^&]+/, 'state=attacker-chosen');
    const response = await finish(app, { ...callback, path: forged });
    expect(response.statusCode).toBe(400);
    expect(errorCode(response)).toBe('OAUTH_STATE_MISMATCH');
    expect(response.json().error.message).toMatch(/state mismatch.*Start the sign-in again/);
    expect(signedIn).toEqual([]);
    expect(await database.db.select().from(users)).toEqual([]);
  });

  it('refuses a callback without the flow cookie, or with an altered one', { timeout: 30_000 }, async () => {
    const { app, signedIn } = await harness();
    const callback = await startSignIn(app, 'oidc');
    const missing = await finish(app, { ...callback, cookie: '' });
    expect(missing.statusCode).toBe(400);
    expect(errorCode(missing)).toBe('OAUTH_FLOW_MISSING');
    expect(missing.json().error.message).toMatch(/cookie is missing/);
    const [value, signature] = callback.cookie.split('.');
    const altered = await finish(app, { ...callback, cookie: `${value}A.${signature}` });
    expect(altered.statusCode).toBe(400);
    expect(errorCode(altered)).toBe('OAUTH_FLOW_INVALID');
    expect(signedIn).toEqual([]);
  });

  it(
    'refuses a replayed callback: the code is spent at the provider and the cookie is gone',
    { timeout: 30_000 },
    async () => {
      const { app, signedIn } = await harness();
      const callback = await startSignIn(app, 'oidc');
      expect((await finish(app, callback)).statusCode).toBe(303);
      // The same URL with the same (captured) cookie: the provider refuses the spent code.
      const replayed = await finish(app, callback);
      expect(replayed.statusCode).toBe(400);
      expect(errorCode(replayed)).toBe('OAUTH_CODE_REFUSED');
      expect(replayed.json().error.message).toMatch(/refused the sign-in code.*already used/);
      // A browser that followed our response has no flow cookie left at all.
      const withoutCookie = await finish(app, { ...callback, cookie: '' });
      expect(errorCode(withoutCookie)).toBe('OAUTH_FLOW_MISSING');
      expect(signedIn).toHaveLength(1);
    },
  );

  it(
    'never links an existing account when the provider has not verified the address',
    { timeout: 30_000 },
    async () => {
      const { app, database, signedIn, events } = await harness();
      const [owner] = await database.db
        .insert(users)
        .values({ email: 'Ada@Example.com', name: 'Ada', passwordHash: '$argon2id$owner', emailVerifiedAt: new Date() })
        .returning();
      claims = { ...claims, email_verified: false };
      const response = await finish(app, await startSignIn(app, 'oidc'));
      expect(response.statusCode).toBe(409);
      expect(errorCode(response)).toBe('OAUTH_EMAIL_UNVERIFIED');
      expect(response.json().error.message).toMatch(/already exists.*has not verified.*not linked/);
      expect(signedIn).toEqual([]);
      expect(await database.db.select().from(oauthAccounts)).toEqual([]);
      expect(await database.db.select().from(users).where(eq(users.id, owner!.id))).toEqual([owner]);
      expect(events).toEqual([
        expect.objectContaining({
          type: 'oauth.refused',
          detail: { provider: 'oidc', reason: 'OAUTH_EMAIL_UNVERIFIED' },
        }),
      ]);
    },
  );

  it('links an existing account when the provider verified the address (case aside)', { timeout: 30_000 }, async () => {
    const { app, database, signedIn, revoked } = await harness();
    const [owner] = await database.db
      .insert(users)
      .values({ email: 'ADA@example.com', name: 'Ada', passwordHash: '$argon2id$owner', emailVerifiedAt: new Date() })
      .returning();
    const response = await finish(app, await startSignIn(app, 'oidc'));
    expect(response.statusCode, response.body).toBe(303);
    expect(signedIn.map((user) => user.id)).toEqual([owner!.id]);
    // A verified owner keeps the password and sessions.
    expect(signedIn[0]!.passwordHash).toBe('$argon2id$owner');
    expect(revoked).toEqual([]);
    expect(await database.db.select().from(users)).toHaveLength(1);
  });

  it(
    'takes an unverified pre-registered account back for the proven owner: password removed, sessions revoked',
    { timeout: 30_000 },
    async () => {
      const { app, database, signedIn, revoked } = await harness();
      const [squatter] = await database.db
        .insert(users)
        .values({ email: 'ada@example.com', name: 'Not Ada', passwordHash: '$argon2id$squatter' })
        .returning();
      const response = await finish(app, await startSignIn(app, 'oidc'));
      expect(response.statusCode, response.body).toBe(303);
      expect(signedIn[0]).toMatchObject({ id: squatter!.id, passwordHash: null });
      expect(signedIn[0]!.emailVerifiedAt).toBeInstanceOf(Date);
      expect(revoked).toEqual([squatter!.id]);
    },
  );

  it('creates an unverified account when the address is new but unverified', { timeout: 30_000 }, async () => {
    const { app, signedIn } = await harness();
    claims = { ...claims, email_verified: false };
    expect((await finish(app, await startSignIn(app, 'oidc'))).statusCode).toBe(303);
    expect(signedIn[0]).toMatchObject({ email: 'ada@example.com', emailVerifiedAt: null });
  });

  it("cleans the provider's name and refuses an address it cannot store", { timeout: 30_000 }, async () => {
    const { app, signedIn } = await harness();
    claims = { ...claims, name: `  Ada\u0000\u001b[31m ${'L'.repeat(300)}` };
    expect((await finish(app, await startSignIn(app, 'oidc'))).statusCode).toBe(303);
    expect(signedIn[0]!.name).toBe(`Ada [31m ${'L'.repeat(91)}`);
    claims = { sub: 'oidc-user-2', email: 'eve\u0000@example.com', email_verified: true };
    const refused = await finish(app, await startSignIn(app, 'oidc'));
    expect(refused.statusCode).toBe(400);
    expect(errorCode(refused)).toBe('OAUTH_NO_EMAIL');
    expect(refused.json().error.message).toBe(
      'Mock IdP did not share an e-mail address, which an account needs. Allow access to your e-mail address at Mock IdP and sign in again.',
    );
  });

  it('refuses an ID token with another nonce or another audience', { timeout: 30_000 }, async () => {
    const { app, signedIn } = await harness();
    claims = { ...claims, nonce: 'from-another-attempt' };
    const replayed = await finish(app, await startSignIn(app, 'oidc'));
    expect(replayed.statusCode).toBe(400);
    expect(errorCode(replayed)).toBe('OAUTH_NONCE_MISMATCH');
    claims = { sub: 'oidc-user-1', email: 'ada@example.com', email_verified: true, aud: 'another-client' };
    const misdirected = await finish(app, await startSignIn(app, 'oidc'));
    expect(misdirected.statusCode).toBe(502);
    expect(misdirected.json().error.message).toMatch(/ID token did not verify.*aud/);
    expect(signedIn).toEqual([]);
  });
});

describe('OIDC sign-in without a database', () => {
  it('answers 404 naming the configured providers for an unknown one', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const { app } = await oauthHarness(embeddedTier, [provider()], disposers);
    const response = await app.inject({ method: 'GET', url: '/auth/gitlab', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toBe('No sign-in provider is called "gitlab". Configured: oidc.');
  });

  it('sends PKCE (S256), state and nonce to the provider, and a provider refusal is a 400', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const { app } = await oauthHarness(embeddedTier, [provider()], disposers);
    const started = await app.inject({ method: 'GET', url: '/auth/oidc' });
    const location = new URL(started.headers.location!);
    expect(location.origin + location.pathname).toBe(`${server.issuer.url}/authorize`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['code_challenge', 'state', 'nonce'])
      expect(location.searchParams.get(name)).toMatch(/^[\w-]{22,}$/);
    const cookie = `cs_oauth=${started.cookies.find((entry) => entry.name === 'cs_oauth')!.value}`;
    const state = location.searchParams.get('state');
    const denied = await app.inject({
      method: 'GET',
      url: `/auth/oidc/callback?error=access_denied&error_description=User%20cancelled&state=${state}`,
      headers: { cookie, accept: 'application/json' },
    });
    expect(denied.statusCode).toBe(400);
    expect(denied.json().error.message).toBe(
      'Sign-in with Mock IdP was not completed: access_denied (User cancelled).',
    );
  });

  it('uses a __Host- prefixed, Secure flow cookie when the site is served over HTTPS', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const { app } = await oauthHarness(embeddedTier, [provider()], disposers, { secureCookie: true });
    const started = await app.inject({ method: 'GET', url: '/auth/oidc' });
    expect(started.cookies).toEqual([
      expect.objectContaining({
        name: '__Host-cs_oauth',
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        maxAge: 600,
      }),
    ]);
    expect(started.cookies[0]).not.toHaveProperty('domain');
  });

  it('answers 502 naming the problem when the provider cannot be discovered', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const unreachable = createOidcProvider({
      issuer: 'http://127.0.0.1:9/realm',
      clientId: CLIENT_ID,
      label: 'Down IdP',
      redirectUri: `${APP_ORIGIN}/auth/oidc/callback`,
    });
    const { app } = await oauthHarness(embeddedTier, [unreachable], disposers);
    const response = await app.inject({ method: 'GET', url: '/auth/oidc', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(502);
    expect(response.json().error).toMatchObject({
      code: 'OAUTH_PROVIDER_ERROR',
      message:
        'Sign-in with Down IdP failed: its discovery document (http://127.0.0.1:9/realm/.well-known/openid-configuration) could not be read. Try again later.',
    });
    expect(response.cookies).toEqual([]);
  });

  it('refuses a provider whose discovery document names another issuer', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const impostor = createOidcProvider({
      issuer: `${server.issuer.url}/`.replace('localhost', '127.0.0.1'),
      clientId: CLIENT_ID,
      label: 'Impostor',
      redirectUri: `${APP_ORIGIN}/auth/oidc/callback`,
    });
    const { app } = await oauthHarness(embeddedTier, [impostor], disposers);
    const response = await app.inject({ method: 'GET', url: '/auth/oidc', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(502);
    expect(response.json().error.message).toMatch(
      /its discovery document names the issuer http:\/\/localhost:\d+, not http:\/\/127\.0\.0\.1/,
    );
  });

  it('limits sign-in starts per IP', async () => {
    const { embeddedTier } = await import('@composable-svelte/testing');
    const { app } = await oauthHarness(embeddedTier, [provider()], disposers, {
      rateLimit: { max: 2, timeWindow: 60_000 },
    });
    const start = (remoteAddress: string) =>
      app.inject({ method: 'GET', url: '/auth/oidc', remoteAddress, headers: { accept: 'application/json' } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await start('203.0.113.1')).statusCode);
    expect(statuses).toEqual([302, 302, 429]);
    expect((await start('203.0.113.2')).statusCode).toBe(302);
  });
});
