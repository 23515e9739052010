import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from '../principal.js';
import { users } from '../schema.js';
import { OAuthError } from './errors.js';
import { noStore, sendOAuthError } from './oauth-reply.js';
import type { TokenServices } from './services.js';
import { requestScopes } from './scopes.js';

const EMAIL_MAX = 320;
const PASSWORD_MAX = 1024;
const TOKEN_MAX = 4096;
/** A refresh token is 32 random bytes in base64url; anything else is not one of ours. */
const REFRESH_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function field(body: unknown, name: string, max: number): string {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new OAuthError(400, 'invalid_request', `${name} is required (a string in a JSON body)`);
  }
  if (value.length > max) throw new OAuthError(400, 'invalid_request', `${name} is longer than ${max} characters`);
  // PostgreSQL text cannot hold NUL: refused here rather than failing the lookup with a 500.
  if (value.includes('\u0000')) throw new OAuthError(400, 'invalid_request', `${name} must not contain NUL characters`);
  return value;
}

/** RFC 6749 §5.2 errors go out in their own shape; anything else is the app's error handler's. */
function oauthHandler(handler: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return await handler(request, reply);
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error);
      throw error;
    }
  };
}

/**
 * The token endpoints: `POST /api/auth/token` (email and password for an access token and a
 * refresh token), `POST /api/auth/refresh` (rotation), `POST /api/auth/revoke` (RFC 7009) and
 * `GET /.well-known/jwks.json`. Every POST shares one per-IP limit.
 */
export async function tokenRoutes(fastify: FastifyInstance, services: TokenServices): Promise<void> {
  const { accessTokens, refreshTokens, signingKeys, audit, allowedScopes, db } = services;
  const limit = services.rateLimit
    ? { rateLimit: { max: services.rateLimit.max, timeWindow: services.rateLimit.windowMs, groupId: 'auth-tokens' } }
    : {};

  async function grant(reply: FastifyReply, viewer: Viewer, scopes: readonly string[], refreshToken: string) {
    const access = await accessTokens.issue(viewer, scopes);
    return noStore(reply).send({
      access_token: access.token,
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      scope: scopes.join(' '),
    });
  }

  fastify.post(
    '/api/auth/token',
    { config: limit },
    oauthHandler(async (request, reply) => {
      const email = field(request.body, 'email', EMAIL_MAX);
      const password = field(request.body, 'password', PASSWORD_MAX);
      const viewer = await services.verifyCredentials(email, password);
      if (!viewer) {
        await audit({ type: 'token.grant_failed', ip: request.ip });
        // One answer for an unknown address and a wrong password: the response tells neither apart.
        throw new OAuthError(401, 'invalid_grant', 'The email or password is incorrect');
      }
      const requested = requestScopes((request.body as Record<string, unknown>).scope, allowedScopes(viewer));
      if (!requested.ok) throw new OAuthError(400, 'invalid_scope', requested.problem);
      const { refreshToken, familyId } = await refreshTokens.start(viewer.id, requested.scopes);
      await audit({
        type: 'token.granted',
        userId: viewer.id,
        ip: request.ip,
        details: { familyId, scopes: requested.scopes },
      });
      return grant(reply, viewer, requested.scopes, refreshToken);
    }),
  );

  fastify.post(
    '/api/auth/refresh',
    { config: limit },
    oauthHandler(async (request, reply) => {
      const token = field(request.body, 'refresh_token', TOKEN_MAX);
      const rotated = REFRESH_TOKEN.test(token)
        ? await refreshTokens.rotate(token)
        : { ok: false as const, reason: 'unknown' as const };
      if (!rotated.ok) {
        if (rotated.reason === 'reused') {
          await audit({
            type: 'token.refresh_reused',
            userId: rotated.userId,
            ip: request.ip,
            details: { familyId: rotated.familyId },
          });
          throw new OAuthError(
            401,
            'invalid_grant',
            'The refresh token was already used, so every token of this sign-in is now revoked; sign in again',
          );
        }
        const why = { unknown: 'is not valid', revoked: 'has been revoked', expired: 'has expired' }[rotated.reason];
        throw new OAuthError(401, 'invalid_grant', `The refresh token ${why}; sign in again`);
      }
      const [user] = await db()
        .select({ id: users.id, name: users.name, roles: users.roles })
        .from(users)
        .where(eq(users.id, rotated.userId));
      if (!user) throw new OAuthError(401, 'invalid_grant', 'The refresh token is not valid; sign in again');
      // Roles may have changed since sign-in: a refresh never grants a scope the account lost.
      const allowed = allowedScopes(user);
      return grant(
        reply,
        user,
        rotated.scopes.filter((scope) => allowed.includes(scope)),
        rotated.refreshToken,
      );
    }),
  );

  fastify.post(
    '/api/auth/revoke',
    { config: limit },
    oauthHandler(async (request, reply) => {
      const token = field(request.body, 'token', TOKEN_MAX);
      // An API key found in the wild can be killed by whoever found it (a secret scanner): holding it is the authority.
      const key = services.apiKeys.looksLikeKey(token) ? await services.apiKeys.revokeKey(token) : undefined;
      if (key) {
        await audit({
          type: 'api_key.revoked',
          userId: key.userId,
          ip: request.ip,
          details: { keyId: key.id, via: 'revoke' },
        });
      }
      const revoked = REFRESH_TOKEN.test(token) ? await refreshTokens.revoke(token) : undefined;
      if (revoked) {
        await audit({
          type: 'token.revoked',
          userId: revoked.userId,
          ip: request.ip,
          details: { familyId: revoked.familyId },
        });
      }
      // RFC 7009 §2.2: the same 200 for an unknown or already revoked token, which tells a prober nothing.
      return noStore(reply).code(200).send();
    }),
  );

  // No longer than a next key is published before it signs: a cached copy always holds the signing key.
  const maxAgeS = Math.floor(signingKeys.publishLeadMs / 1000);
  fastify.get('/.well-known/jwks.json', async (_request, reply) => {
    return reply.header('cache-control', `public, max-age=${maxAgeS}`).send(await signingKeys.jwks());
  });
}
