/**
 * Sessions and bearer tokens in one server: the token plugin checks passwords through the sessions
 * feature (same Argon2id, timing and back-off), and its authenticator runs after the session
 * cookie, so API routes take either credential and their requirements apply to both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTiers, type Tier } from '@composable-svelte/testing';
import { authTokens } from '../src/auth/tokens/index.js';
import { authFixtureApp } from './fixtures/auth-app.js';
import { AUTH_MIGRATIONS, AUTH_TEST_ENV, Browser, STRONG_PASSWORD } from './support/auth-server.js';
import { closeTestServers, startTestServer } from './support/test-server.js';

closeTestServers();

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

async function start(tier: Tier) {
  const opened = await tier.fresh();
  disposers.push(opened.dispose);
  const { server } = await startTestServer({
    app: authFixtureApp(),
    database: opened.database,
    migrationsFolder: AUTH_MIGRATIONS,
    env: { ...AUTH_TEST_ENV, AUTH_TOKEN_SCOPES: 'read write' },
    auth: { bearerRealm: 'example.test' },
    routes: async (app) => {
      const auth = app.auth!;
      await app.register(authTokens, {
        db: () => app.database!.db,
        verifyCredentials: (email, password) => auth.checkEmailPassword(email, password),
      });
      auth.addAuthenticator(app.authTokens.authenticate);
      auth.onSignOutEverywhere((userId, reason) => app.authTokens.refreshTokens.revokeUser(userId, reason));
      app.post('/account/sign-out-everywhere', { config: { auth: 'required' } }, async (request, reply) => {
        await auth.signOutEverywhere(request, reply);
        return reply.redirect('/', 303);
      });
      app.get('/csrf', async (_request, reply) => ({ token: reply.generateCsrf() }));
      app.post('/signup', async (request, reply) => {
        await auth.signUp(request, reply, request.body as Record<string, string>);
        return reply.redirect('/', 303);
      });
      app.get('/api/me', { config: { auth: 'required' } }, async (request) => ({
        viewer: request.principal!.viewer,
        via: request.principal!.via,
      }));
      app.get('/api/write', { config: { auth: { scopes: ['write'] } } }, async () => ({ ok: true }));
      app.get('/api/admin-scope', { config: { auth: { scopes: ['admin'] } } }, async () => ({ ok: true }));
    },
  });
  await server.ready();
  return server;
}

describe.each(await databaseTiers())('sessions and bearer tokens on $name', (tier) => {
  it(
    'grants a token for a password the sessions feature checks, and routes take either credential',
    { timeout: 60_000 },
    async () => {
      const server = await start(tier);
      const browser = new Browser(server);
      await browser.post('/signup', { email: 'ada@example.org', name: 'Ada', password: STRONG_PASSWORD });
      expect((await browser.get('/api/me')).json()).toMatchObject({ via: 'session', viewer: { name: 'Ada' } });

      const refused = await server.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: { email: 'ada@example.org', password: 'wrong-password-here' },
      });
      expect(refused.json()).toMatchObject({ error: 'invalid_grant' });
      const granted = await server.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: { email: 'ada@example.org', password: STRONG_PASSWORD },
      });
      expect(granted.statusCode, granted.body).toBe(200);
      const bearer = { authorization: `Bearer ${granted.json().access_token}` };
      expect((await server.inject({ url: '/api/me', headers: bearer })).json()).toMatchObject({ via: 'access-token' });
      expect((await server.inject({ url: '/api/write', headers: bearer })).statusCode).toBe(200);
      // Scopes bind the token: its viewer could do more with a session.
      expect((await server.inject({ url: '/api/admin-scope', headers: bearer })).statusCode).toBe(403);
      expect((await browser.get('/api/admin-scope')).statusCode).toBe(200);

      const anonymous = await server.inject({ url: '/api/me' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="example.test"');
      const forged = await server.inject({ url: '/api/me', headers: { authorization: 'Bearer a.b.c' } });
      expect(forged.statusCode).toBe(401);

      // Signing out everywhere ends the token sign-ins too: a refresh token that renewed before no longer does.
      const refresh = (token: string) =>
        server.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: token } });
      const renewed = await refresh(granted.json().refresh_token);
      expect(renewed.statusCode, renewed.body).toBe(200);
      expect((await browser.post('/account/sign-out-everywhere', {})).statusCode).toBe(303);
      const ended = await refresh(renewed.json().refresh_token);
      expect(ended.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('revoked'),
      });
    },
  );
});
