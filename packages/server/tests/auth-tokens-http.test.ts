/**
 * The token endpoints, the JWKS and API keys over HTTP, on both database tiers: what a client of
 * /api/auth/* sees, including reuse detection, revocation, key rotation across instances, scopes
 * and the 401 challenges.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { apiKeys, authTokens, signingKeys, type TokenAuditEvent } from '../src/auth/tokens/index.js';
import { errorHandler } from '../src/errors/error-handler.js';
import { databaseTiers, type Tier } from '@composable-svelte/testing';
import {
  AUTH_TOKENS_MIGRATIONS,
  SETTINGS,
  createUser,
  testClock,
  tokenApp,
  verifyCredentialsOver,
} from './support/auth-tokens.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

const PASSWORD = 'correct horse battery staple';

async function setUp(tier: Tier, options: { rateLimit?: { max: number; windowMs: number } } = {}) {
  const { database, dispose } = await tier.fresh();
  disposers.push(dispose);
  await migrate(database.db, AUTH_TOKENS_MIGRATIONS);
  const ada = await createUser(database.db, {
    email: 'Ada@example.test',
    name: 'Ada',
    password: PASSWORD,
    roles: ['author'],
  });
  const clock = testClock();
  const { app, audits } = await tokenApp({ db: () => database.db, now: clock.now, ...options });
  disposers.unshift(() => app.close());
  return { database, app, audits, ada, clock };
}

const post = (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers });

async function signIn(app: FastifyInstance, extra: Record<string, unknown> = {}) {
  const response = await post(app, '/api/auth/token', { email: 'ada@example.test', password: PASSWORD, ...extra });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    access_token: string;
    refresh_token: string;
    token_type: string;
    expires_in: number;
    scope: string;
  }>();
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(await databaseTiers())('auth tokens over HTTP on $name', (tier) => {
  it(
    'signs in with e-mail and password: a bearer access token, a refresh token, nothing cached',
    { timeout: 30_000 },
    async () => {
      const { app, audits, ada } = await setUp(tier);
      const response = await post(app, '/api/auth/token', { email: 'ADA@example.test', password: PASSWORD });
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
      const body = response.json();
      expect(body).toEqual({
        access_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/),
        refresh_token: expect.stringMatching(/^[\w-]{43}$/),
        token_type: 'Bearer',
        expires_in: 900,
        scope: 'read write admin',
      });
      const notes = await post(app, '/api/test/notes', {}, bearer(body.access_token));
      expect(notes.json()).toEqual({ by: ada.id, via: 'access-token' });
      expect(audits).toEqual([
        expect.objectContaining({
          type: 'token.granted',
          userId: ada.id,
          details: expect.objectContaining({ scopes: ['read', 'write', 'admin'] }),
        }),
      ]);
    },
  );

  it(
    'answers a wrong password and an unknown address alike: 401 invalid_grant, no account named',
    { timeout: 30_000 },
    async () => {
      const { app, audits } = await setUp(tier);
      const wrong = await post(app, '/api/auth/token', { email: 'ada@example.test', password: 'not it' });
      const unknown = await post(app, '/api/auth/token', { email: 'nobody@example.test', password: PASSWORD });
      for (const response of [wrong, unknown]) {
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          error: 'invalid_grant',
          error_description: 'The email or password is incorrect',
        });
        expect(response.headers['cache-control']).toBe('no-store');
      }
      expect(audits).toEqual([
        { type: 'token.grant_failed', ip: '127.0.0.1' },
        { type: 'token.grant_failed', ip: '127.0.0.1' },
      ]);
      const nul = await post(app, '/api/auth/token', { email: 'ada@example.test\u0000', password: PASSWORD });
      expect(nul.json()).toEqual({
        error: 'invalid_request',
        error_description: 'email must not contain NUL characters',
      });
      const missing = await post(app, '/api/auth/token', { email: 'ada@example.test' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toEqual({
        error: 'invalid_request',
        error_description: 'password is required (a string in a JSON body)',
      });
      const notJson = await app.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: '{"email":',
        headers: { 'content-type': 'application/json' },
      });
      expect(notJson.statusCode).toBe(400);
    },
  );

  it('grants only allowed scopes, and a token carries just the ones granted', { timeout: 30_000 }, async () => {
    const { app } = await setUp(tier);
    const refused = await post(app, '/api/auth/token', {
      email: 'ada@example.test',
      password: PASSWORD,
      scope: 'read root',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'scope not allowed: root (allowed: read write admin)',
    });
    const readOnly = await signIn(app, { scope: 'read' });
    expect(readOnly.scope).toBe('read');
    expect((await post(app, '/api/test/notes', {}, bearer(readOnly.access_token))).statusCode).toBe(403);
    // The refreshed token keeps the family's scopes.
    const refreshed = (await post(app, '/api/auth/refresh', { refresh_token: readOnly.refresh_token })).json();
    expect(refreshed.scope).toBe('read');
    expect((await post(app, '/api/test/notes', {}, bearer(refreshed.access_token))).statusCode).toBe(403);
  });

  it('rotates the refresh token; a spent one coming back revokes the whole family', { timeout: 30_000 }, async () => {
    const { app, audits, ada } = await setUp(tier);
    const first = await signIn(app);
    const second = await post(app, '/api/auth/refresh', { refresh_token: first.refresh_token });
    expect(second.statusCode).toBe(200);
    const rotated = second.json();
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await post(app, '/api/test/notes', {}, bearer(rotated.access_token))).statusCode).toBe(200);
    const reuse = await post(app, '/api/auth/refresh', { refresh_token: first.refresh_token });
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json()).toEqual({
      error: 'invalid_grant',
      error_description:
        'The refresh token was already used, so every token of this sign-in is now revoked; sign in again',
    });
    // The legitimate holder's current token died with the family.
    const after = await post(app, '/api/auth/refresh', { refresh_token: rotated.refresh_token });
    expect(after.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token has been revoked; sign in again',
    });
    expect(audits.filter((event) => event.type === 'token.refresh_reused')).toEqual([
      expect.objectContaining({ userId: ada.id, details: { familyId: expect.any(String) } }),
    ]);
    // Another sign-in is another family, untouched.
    const other = await signIn(app);
    expect((await post(app, '/api/auth/refresh', { refresh_token: other.refresh_token })).statusCode).toBe(200);
    const garbage = await post(app, '/api/auth/refresh', { refresh_token: 'x' });
    expect(garbage.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token is not valid; sign in again',
    });
  });

  it('ends a family at its absolute lifetime, however often it was refreshed', { timeout: 30_000 }, async () => {
    const { app, clock } = await setUp(tier);
    let current = await signIn(app);
    for (let day = 0; day < 29; day++) {
      clock.advance(86_400_000);
      current = (await post(app, '/api/auth/refresh', { refresh_token: current.refresh_token })).json();
    }
    clock.advance(86_400_000);
    const expired = await post(app, '/api/auth/refresh', { refresh_token: current.refresh_token });
    expect(expired.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'The refresh token has expired; sign in again',
    });
  });

  it(
    'revokes a refresh token’s family (RFC 7009), and answers 200 for tokens it does not know',
    { timeout: 30_000 },
    async () => {
      const { app, audits } = await setUp(tier);
      const tokens = await signIn(app);
      const revoked = await post(app, '/api/auth/revoke', {
        token: tokens.refresh_token,
        token_type_hint: 'refresh_token',
      });
      expect(revoked.statusCode).toBe(200);
      expect((await post(app, '/api/auth/refresh', { refresh_token: tokens.refresh_token })).statusCode).toBe(401);
      expect(audits.at(-1)).toMatchObject({ type: 'token.revoked' });
      for (const token of [tokens.refresh_token, 'A'.repeat(43), tokens.access_token, 'whatever']) {
        expect((await post(app, '/api/auth/revoke', { token })).statusCode).toBe(200);
      }
      expect((await post(app, '/api/auth/revoke', {})).json()).toEqual({
        error: 'invalid_request',
        error_description: 'token is required (a string in a JSON body)',
      });
    },
  );

  it(
    'challenges a bad bearer credential with 401 and WWW-Authenticate; no credential is anonymous',
    { timeout: 30_000 },
    async () => {
      const { app, clock } = await setUp(tier);
      const anonymous = await post(app, '/api/test/notes', {});
      expect(anonymous.statusCode).toBe(401);
      const { access_token } = await signIn(app);
      // One character of the signature changed, early enough that it changes the decoded bytes.
      const resigned = (token: string) => {
        const at = token.lastIndexOf('.') + 1;
        return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
      };
      const cases: [string, string][] = [
        [`Bearer ${resigned(access_token)}`, 'The access token signature does not verify'],
        ['Bearer not-a-token', 'The bearer credential is neither an access token nor an API key'],
        ['Bearer', 'The Authorization header has no bearer credential'],
        [`Bearer cs_live_${'a'.repeat(16)}_${'b'.repeat(52)}`, 'The API key is not valid'],
      ];
      for (const [authorization, message] of cases) {
        const response = await post(app, '/api/test/notes', {}, { authorization });
        expect(response.statusCode, authorization).toBe(401);
        expect(response.headers['www-authenticate']).toBe(
          `Bearer error="invalid_token", error_description="${message}"`,
        );
        expect(response.json().error).toMatchObject({ status: 401, code: 'INVALID_TOKEN', message });
      }
      clock.advance((SETTINGS.accessTokenTtlS + SETTINGS.clockSkewS) * 1000);
      const expired = await post(app, '/api/test/notes', {}, bearer(access_token));
      expect(expired.json().error.message).toBe('The access token has expired');
      // Another scheme is not this authenticator's: anonymous, not an error.
      expect((await post(app, '/api/test/notes', {}, { authorization: 'Basic YTpi' })).statusCode).toBe(401);
      expect(
        (await post(app, '/api/test/notes', {}, { authorization: 'Basic YTpi' })).headers['www-authenticate'],
      ).toBeUndefined();
    },
  );

  it('a bad bearer credential on a route outside the plugin’s context (a page) gets the same challenge', async () => {
    const { database, dispose } = await tier.fresh();
    disposers.push(dispose);
    await migrate(database.db, AUTH_TOKENS_MIGRATIONS);
    const app = Fastify({ logger: false });
    disposers.unshift(() => app.close());
    await app.register(errorHandler, { production: true });
    let tokens: FastifyInstance['authTokens'] | undefined;
    // The plugin in a child context, as an app registers it among its API routes.
    await app.register(async (api) => {
      await api.register(authTokens, {
        db: () => database.db,
        settings: SETTINGS,
        verifyCredentials: verifyCredentialsOver(() => database.db),
        rateLimit: false,
      });
      tokens = api.authTokens;
    });
    app.addHook('onRequest', async (request) => void (await tokens!.authenticate(request)));
    app.get('/page', async () => 'a page');
    const page = await app.inject({ url: '/page', headers: { authorization: 'Bearer not-a-token' } });
    expect(page.statusCode).toBe(401);
    expect(page.headers['www-authenticate']).toBe(
      'Bearer error="invalid_token", error_description="The bearer credential is neither an access token nor an API key"',
    );
  });

  it('limits the token endpoints per IP with the server’s rate limiter', { timeout: 30_000 }, async () => {
    const { app } = await setUp(tier, { rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (const url of ['/api/auth/token', '/api/auth/refresh', '/api/auth/revoke', '/api/auth/token']) {
      statuses.push(
        (await post(app, url, { email: 'ada@example.test', password: 'x', refresh_token: 'x', token: 'x' })).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 200, 429]);
    const limited = await post(app, '/api/auth/token', {}, { 'x-forwarded-for': '10.0.0.9' });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
  });
});

describe.each(await databaseTiers())('signing keys on $name', (tier) => {
  it(
    'rotate: a retired key verifies its tokens until they expire, then leaves the JWKS',
    { timeout: 30_000 },
    async () => {
      const { app, clock, database } = await setUp(tier);
      const before = (await app.inject('/.well-known/jwks.json')).json().keys;
      expect(before).toHaveLength(1);
      const old = await signIn(app);
      const jwks = await app.inject('/.well-known/jwks.json');
      expect(jwks.json().keys).toEqual(before);
      expect(jwks.headers['cache-control']).toBe('public, max-age=300');
      const [first] = jwks.json().keys;
      expect(first).toEqual({
        kty: 'OKP',
        crv: 'Ed25519',
        x: expect.any(String),
        kid: expect.any(String),
        alg: 'EdDSA',
        use: 'sig',
      });
      expect(first).not.toHaveProperty('d');

      // The retired key's private half, to sign tokens with a fresh exp at any later time.
      const retired = await app.authTokens.signingKeys.current();
      const signedByRetired = () => {
        const now = Math.floor(clock.now() / 1000);
        return new SignJWT({ scope: 'write', name: 'Ada', roles: [] })
          .setProtectedHeader({ alg: 'EdDSA', kid: retired.kid, typ: 'at+jwt' })
          .setIssuer(SETTINGS.issuer)
          .setAudience(SETTINGS.audience)
          .setSubject('1')
          .setJti('j')
          .setIssuedAt(now)
          .setExpirationTime(now + 60)
          .sign(retired.privateKey);
      };
      const newKid = await app.authTokens.signingKeys.rotate();
      expect(newKid).not.toBe(first.kid);
      const both = (await app.inject('/.well-known/jwks.json')).json().keys.map((key: { kid: string }) => key.kid);
      expect(both.sort()).toEqual([first.kid, newKid].sort());
      const fresh = await signIn(app);
      expect(JSON.parse(Buffer.from(fresh.access_token.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);

      clock.advance((SETTINGS.accessTokenTtlS - 1) * 1000);
      expect((await post(app, '/api/test/notes', {}, bearer(old.access_token))).statusCode).toBe(200);
      expect((await post(app, '/api/test/notes', {}, bearer(await signedByRetired()))).statusCode).toBe(200);
      // Past every token it could have signed (lifetime + skew + one key-cache TTL), the key is dropped.
      clock.advance(app.authTokens.signingKeys.retentionMs - (SETTINGS.accessTokenTtlS - 1) * 1000 + 1);
      const after = (await app.inject('/.well-known/jwks.json')).json().keys.map((key: { kid: string }) => key.kid);
      expect(after).toEqual([newKid]);
      expect(await app.authTokens.signingKeys.publicKey(first.kid)).toBeUndefined();
      // Not expiry but the key's retirement refuses it: a token of that key with a fresh exp fails too.
      const late = await post(app, '/api/test/notes', {}, bearer(await signedByRetired()));
      expect(late.json().error.message).toBe('The access token is signed by a key this server does not know');
      const rows = await database.db.select({ kid: signingKeys.kid }).from(signingKeys);
      expect(rows.map((row) => row.kid)).toEqual([newKid]);
    },
  );

  it(
    'rotate on their period, publishing the next key before it signs; every instance agrees',
    { timeout: 30_000 },
    async () => {
      const { app, clock, database } = await setUp(tier);
      const other = (await tokenApp({ db: () => database.db, now: clock.now })).app;
      disposers.unshift(() => other.close());
      const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
      const jwksKids = async (instance: FastifyInstance) =>
        (await instance.inject('/.well-known/jwks.json')).json().keys.map((key: { kid: string }) => key.kid);
      const first = await signIn(app);
      const firstKid = kidOf(first.access_token);
      // The second instance verifies the first one's token, and signs with the same key.
      expect((await post(other, '/api/test/notes', {}, bearer(first.access_token))).statusCode).toBe(200);
      expect(kidOf((await signIn(other)).access_token)).toBe(firstKid);

      const lead = app.authTokens.signingKeys.publishLeadMs;
      expect(lead).toBe(300_000);
      clock.advance(SETTINGS.signingKeyRotationS * 1000 - lead);
      // Due: the next key is published, but the current one goes on signing for the lead time.
      expect(kidOf((await signIn(app)).access_token)).toBe(firstKid);
      const published = await jwksKids(other);
      expect(published).toHaveLength(2);
      expect(published[1]).toBe(firstKid);
      const nextKid = published[0];
      clock.advance(lead - 1);
      expect(kidOf((await signIn(other)).access_token)).toBe(firstKid);
      clock.advance(1);
      // Both instances switch at the same instant, to the key every cached JWKS copy already holds.
      const rotated = await signIn(app);
      expect(kidOf(rotated.access_token)).toBe(nextKid);
      expect(kidOf((await signIn(other)).access_token)).toBe(nextKid);
      expect((await post(other, '/api/test/notes', {}, bearer(rotated.access_token))).statusCode).toBe(200);
      expect(await database.db.select({ kid: signingKeys.kid }).from(signingKeys)).toHaveLength(2);
    },
  );

  it(
    'rotated on demand, take over at once; the unknown kid makes other instances read the set again',
    { timeout: 30_000 },
    async () => {
      const { app, clock, database } = await setUp(tier);
      const other = (await tokenApp({ db: () => database.db, now: clock.now })).app;
      disposers.unshift(() => other.close());
      const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
      const before = await signIn(app);
      // The other instance has the key set in its cache from here on.
      expect((await post(other, '/api/test/notes', {}, bearer(before.access_token))).statusCode).toBe(200);
      const newKid = await app.authTokens.signingKeys.rotate();
      const after = await signIn(app);
      expect(kidOf(after.access_token)).toBe(newKid);
      clock.advance(1_000);
      expect((await post(other, '/api/test/notes', {}, bearer(after.access_token))).statusCode).toBe(200);
      expect(kidOf((await signIn(other)).access_token)).toBe(newKid);
      expect((await post(other, '/api/test/notes', {}, bearer(before.access_token))).statusCode).toBe(200);
    },
  );

  it(
    'keep private keys encrypted at rest; another secret cannot sign with them and makes a new key',
    { timeout: 30_000 },
    async () => {
      const { app, clock, database } = await setUp(tier);
      const before = await signIn(app);
      const [row] = await database.db.select().from(signingKeys);
      expect(row!.privateJwkSealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(row!.privateJwkSealed).not.toContain('"d"');
      const rekeyed = (
        await tokenApp({
          db: () => database.db,
          now: clock.now,
          settings: { signingKeySecret: 'another-secret-another-secret-another-secret' },
        })
      ).app;
      disposers.unshift(() => rekeyed.close());
      const after = await signIn(rekeyed);
      const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;
      expect(kidOf(after.access_token)).not.toBe(kidOf(before.access_token));
      // Public halves are not secret: tokens of the unreadable key still verify until they expire.
      expect((await post(rekeyed, '/api/test/notes', {}, bearer(before.access_token))).statusCode).toBe(200);
    },
  );
});

describe.each(await databaseTiers())('API keys on $name', (tier) => {
  async function createKey(app: FastifyInstance, userId: number, body: unknown) {
    return post(app, '/api/auth/keys', body, { 'x-test-session': String(userId) });
  }

  it(
    'are made for a signed-in user, shown once, listed without secrets, used as bearer, revoked',
    { timeout: 30_000 },
    async () => {
      const { app, audits, ada, database } = await setUp(tier);
      const anonymous = await post(app, '/api/auth/keys', { name: 'x' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      expect(anonymous.json().error.code).toBe('AUTHENTICATION_REQUIRED');

      const created = await createKey(app, ada.id, { name: 'deploy script', scopes: ['read', 'write'] });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const { key, id, ...summary } = created.json();
      expect(key).toMatch(/^cs_live_[a-z2-7]{16}_[a-z2-7]{52}$/);
      expect(summary).toMatchObject({
        name: 'deploy script',
        scopes: ['read', 'write'],
        displayPrefix: `cs_live_${id}`,
        lastUsedAt: null,
      });
      const secret = key.split('_').at(-1);
      const [row] = await database.db.select().from(apiKeys);
      expect(JSON.stringify(row)).not.toContain(secret);

      const listed = await app.inject({ url: '/api/auth/keys', headers: { 'x-test-session': String(ada.id) } });
      expect(listed.json().keys).toEqual([
        expect.objectContaining({ id, name: 'deploy script', displayPrefix: `cs_live_${id}` }),
      ]);
      expect(listed.body).not.toContain(secret);

      const used = await post(app, '/api/test/notes', {}, bearer(key));
      expect(used.json()).toEqual({ by: ada.id, via: 'api-key' });
      expect(audits.map((event) => event.type)).toEqual(['api_key.created']);

      const deleted = await app.inject({
        method: 'DELETE',
        url: `/api/auth/keys/${id}`,
        headers: { 'x-test-session': String(ada.id) },
      });
      expect(deleted.statusCode).toBe(204);
      const refused = await post(app, '/api/test/notes', {}, bearer(key));
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error.message).toBe('The API key has been revoked');
      const again = await app.inject({
        method: 'DELETE',
        url: `/api/auth/keys/${id}`,
        headers: { 'x-test-session': String(ada.id) },
      });
      expect(again.statusCode).toBe(404);
      expect(
        (await app.inject({ url: '/api/auth/keys', headers: { 'x-test-session': String(ada.id) } })).json(),
      ).toEqual({ keys: [] });
      expect(audits.map((event: TokenAuditEvent) => event.type)).toEqual(['api_key.created', 'api_key.revoked']);
    },
  );

  it('record their last use at most once a minute', { timeout: 30_000 }, async () => {
    const { app, ada, clock } = await setUp(tier);
    const { key, id } = (await createKey(app, ada.id, { name: 'cron' })).json();
    const lastUsed = async () =>
      (await app.inject({ url: '/api/auth/keys', headers: { 'x-test-session': String(ada.id) } })).json().keys[0]
        .lastUsedAt;
    expect(id).toBeTypeOf('string');
    await post(app, '/api/test/notes', {}, bearer(key));
    const first = await lastUsed();
    expect(first).toBe(new Date(clock.now()).toISOString());
    clock.advance(59_000);
    await post(app, '/api/test/notes', {}, bearer(key));
    expect(await lastUsed()).toBe(first);
    clock.advance(1_000);
    await post(app, '/api/test/notes', {}, bearer(key));
    expect(await lastUsed()).toBe(new Date(clock.now()).toISOString());
  });

  it('carry only allowed scopes, which the key’s requests are held to', { timeout: 30_000 }, async () => {
    const { app, ada } = await setUp(tier);
    const tooMuch = await createKey(app, ada.id, { name: 'x', scopes: ['read', 'superuser'] });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.message).toBe('scope not allowed: superuser (allowed: read write admin)');
    const readOnly = (await createKey(app, ada.id, { name: 'reader', scopes: ['read'] })).json();
    expect((await post(app, '/api/test/notes', {}, bearer(readOnly.key))).statusCode).toBe(403);
    // A key cannot make keys; a read-only access token cannot make a key with more than read.
    const byKey = await post(app, '/api/auth/keys', { name: 'child' }, bearer(readOnly.key));
    expect(byKey.statusCode).toBe(403);
    const readToken = await signIn(app, { scope: 'read' });
    const widened = await post(
      app,
      '/api/auth/keys',
      { name: 'wider', scopes: ['write'] },
      bearer(readToken.access_token),
    );
    expect(widened.json().error.message).toBe('scope not allowed: write (allowed: read)');
    const noName = await createKey(app, ada.id, { scopes: ['read'] });
    expect(noName.statusCode).toBe(400);
    const blankName = await createKey(app, ada.id, { name: '   ' });
    expect(blankName.json().error.message).toBe('name must be 1 to 100 printable characters');
  });

  it('are revoked by whoever holds one, through the RFC 7009 endpoint', { timeout: 30_000 }, async () => {
    const { app, ada, audits } = await setUp(tier);
    const { key, id } = (await createKey(app, ada.id, { name: 'leaked' })).json();
    const forged = key.replace(/_[a-z2-7]{52}$/, `_${'a'.repeat(52)}`);
    expect((await post(app, '/api/auth/revoke', { token: forged })).statusCode).toBe(200);
    expect((await post(app, '/api/test/notes', {}, bearer(key))).statusCode).toBe(200);
    expect((await post(app, '/api/auth/revoke', { token: key })).statusCode).toBe(200);
    expect((await post(app, '/api/test/notes', {}, bearer(key))).json().error.message).toBe(
      'The API key has been revoked',
    );
    expect(audits.at(-1)).toEqual({
      type: 'api_key.revoked',
      userId: ada.id,
      ip: '127.0.0.1',
      details: { keyId: id, via: 'revoke' },
    });
  });

  it('belong to their user: another account cannot list or revoke them', { timeout: 30_000 }, async () => {
    const { app, ada, database } = await setUp(tier);
    const eve = await createUser(database.db, { email: 'eve@example.test', name: 'Eve', password: PASSWORD });
    const { id, key } = (await createKey(app, ada.id, { name: 'mine' })).json();
    expect((await app.inject({ url: '/api/auth/keys', headers: { 'x-test-session': String(eve.id) } })).json()).toEqual(
      { keys: [] },
    );
    const stolen = await app.inject({
      method: 'DELETE',
      url: `/api/auth/keys/${id}`,
      headers: { 'x-test-session': String(eve.id) },
    });
    expect(stolen.statusCode).toBe(404);
    expect((await post(app, '/api/test/notes', {}, bearer(key))).statusCode).toBe(200);
    // A right id with a wrong secret is refused like any unknown key.
    const forged = key.replace(/_[a-z2-7]{52}$/, `_${'a'.repeat(52)}`);
    expect((await post(app, '/api/test/notes', {}, bearer(forged))).json().error.message).toBe(
      'The API key is not valid',
    );
  });
});
