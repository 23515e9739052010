import type { FastifyInstance } from 'fastify';
import { oauthRoutes, type OAuthProvider } from '@composable-svelte/server/auth';
import { accountAuditSink } from './account-audit.js';

/**
 * Sign-in with the providers the environment configures (GitHub, an OpenID Connect provider):
 * `GET /auth/:provider` and its callback. An account is linked by the provider's subject, or by an
 * e-mail address only when the provider verified it; the session starts as a password sign-in's does.
 */
export async function oauthSignIn(fastify: FastifyInstance, providers: readonly OAuthProvider[]): Promise<void> {
  const auth = fastify.auth;
  const database = fastify.database;
  if (!auth || !database) throw new Error('oauthSignIn needs the auth plugin and an open database');
  await fastify.register(oauthRoutes, {
    db: database.db,
    providers,
    signIn: async (request, reply, user) => {
      await auth.startSession(request, reply, user.id, 'oauth');
    },
    revokeAllSessions: async (userId) => {
      await auth.revokeAllSessions(userId, 'oauth-account-taken-back');
    },
    audit: accountAuditSink(auth),
    secureCookie: fastify.config.publicUrl.startsWith('https:'),
  });
}
