/**
 * The plugin inside the production preset: settings from the environment, the token endpoints
 * under the server's form rate limit, JSON API clients passing CSRF (no cookies), errors through
 * the app's error handler.
 */
import { rmSync } from 'node:fs';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { authTokens } from '../src/auth/tokens/index.js';
import { createServer } from '../src/index.js';
import { embeddedTier } from '@composable-svelte/testing';
import { fixtureApp, fixtureClientDir } from './fixtures/app.js';
import { AUTH_TOKENS_MIGRATIONS, createUser, verifyCredentialsOver } from './support/auth-tokens.js';
import { PRODUCTION_ENV } from './support/test-server.js';

describe('authTokens in createServer', () => {
  it('takes its settings and rate limit from the server configuration', { timeout: 60_000 }, async () => {
    const { database, dispose } = await embeddedTier.fresh();
    const clientDir = fixtureClientDir();
    const server = await createServer({
      app: fixtureApp({ signals: [] }),
      clientDir,
      env: { ...PRODUCTION_ENV, RATE_LIMIT_FORM_MAX: '2', AUTH_ACCESS_TOKEN_TTL_S: '600' },
      database,
      migrationsFolder: AUTH_TOKENS_MIGRATIONS,
      routes: async (app) => {
        await app.register(authTokens, {
          db: () => app.database!.db,
          verifyCredentials: verifyCredentialsOver(() => app.database!.db),
        });
      },
    });
    try {
      await server.ready();
      await createUser(database.db, { email: 'ada@example.test', name: 'Ada', password: 'pw-pw-pw-pw' });
      const granted = await server.inject({
        method: 'POST',
        url: '/api/auth/token',
        payload: { email: 'ada@example.test', password: 'pw-pw-pw-pw' },
      });
      expect(granted.statusCode, granted.body).toBe(200);
      const { access_token, expires_in } = granted.json();
      expect(expires_in).toBe(600);
      expect(decodeJwt(access_token)).toMatchObject({ iss: 'https://example.test', aud: 'https://example.test' });
      const jwks = await server.inject('/.well-known/jwks.json');
      expect(jwks.json().keys.map((key: { kid: string }) => key.kid)).toEqual([
        decodeProtectedHeader(access_token).kid,
      ]);

      const keys = await server.inject({ url: '/api/auth/keys', headers: { authorization: `Bearer ${access_token}` } });
      // No principal resolver is registered here: the route asks for one, in the app's error shape.
      expect(keys.statusCode).toBe(401);
      expect(keys.json().error.code).toBe('AUTHENTICATION_REQUIRED');

      const third = await server.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refresh_token: 'x' } });
      expect(third.statusCode).toBe(401);
      const limited = await server.inject({ method: 'POST', url: '/api/auth/revoke', payload: { token: 'x' } });
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
    } finally {
      await server.close();
      await dispose();
      rmSync(clientDir, { recursive: true, force: true });
    }
  });
});
