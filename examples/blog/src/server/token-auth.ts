import type { FastifyInstance } from 'fastify';
import { authTokens, type TokenServices } from '@composable-svelte/server/auth';

/**
 * Bearer credentials for API clients (scripts, apps): access and refresh tokens got with the
 * account's e-mail and password, and API keys. Passwords are checked by the sessions feature (same
 * Argon2id, timing and back-off as the login form); the bearer authenticator runs after the session
 * cookie; signing out everywhere (or a password change or reset) ends token sign-ins too.
 */
export async function tokenAuth(fastify: FastifyInstance): Promise<TokenServices> {
  const auth = fastify.auth;
  if (!auth) throw new Error('tokenAuth needs the auth plugin (createServer({ auth }))');
  await fastify.register(authTokens, {
    db: () => {
      if (!fastify.database) throw new Error('The blog database is not open yet');
      return fastify.database.db;
    },
    verifyCredentials: (email, password) => auth.checkEmailPassword(email, password),
    audit: (event) => auth.audit(undefined, event),
  });
  auth.addAuthenticator(fastify.authTokens.authenticate);
  auth.onSignOutEverywhere((userId, reason) => fastify.authTokens.refreshTokens.revokeUser(userId, reason));
  return fastify.authTokens;
}
