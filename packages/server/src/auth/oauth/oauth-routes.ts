import { generateCodeVerifier, generateState } from 'arctic';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/open-database.js';
import { HttpError, notFound } from '../../errors/http-error.js';
import type { User } from '../schema.js';
import { resolveAccount } from './account-linking.js';
import type { AuditSink } from './audit-event.js';
import { createFlowCookie } from './flow-cookie.js';
import type { OAuthProvider } from './provider.js';
import { safeNext } from '../safe-next.js';

export interface OAuthRoutesOptions {
  readonly db: Db<Record<string, unknown>>;
  readonly providers: readonly OAuthProvider[];
  /** Starts the session for `user` (new session id, cookie); the auth plugin provides it. */
  readonly signIn: (request: FastifyRequest, reply: FastifyReply, user: User) => Promise<void>;
  /** Ends every session of a user; called when a provider takes an unverified account back. */
  readonly revokeAllSessions: (userId: number) => Promise<void>;
  readonly audit?: AuditSink;
  /** True when PUBLIC_URL is https: the flow cookie is then Secure and `__Host-` prefixed. */
  readonly secureCookie: boolean;
  /** Where a sign-in lands when it was started without `?next=`; default `/`. */
  readonly afterSignIn?: string;
  /** Per-IP limit on starting and finishing sign-ins; default 30 a minute. false: only the global limit. */
  readonly rateLimit?: { readonly max: number; readonly timeWindow: number } | false;
}

interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/**
 * `GET /auth/:provider` sends the browser to the provider with `state`, a PKCE challenge and (OIDC)
 * a nonce; `GET /auth/:provider/callback` checks them, redeems the code, finds or creates the
 * account (see resolveAccount) and signs in. Every failure is a 4xx/5xx with a message saying
 * what went wrong and that the sign-in must be started again.
 */
export async function oauthRoutes(fastify: FastifyInstance, options: OAuthRoutesOptions): Promise<void> {
  const providers = new Map(options.providers.map((provider) => [provider.id, provider]));
  const flowCookie = createFlowCookie({ secure: options.secureCookie });
  const afterSignIn = options.afterSignIn ?? '/';
  const limit = options.rateLimit === false ? {} : { rateLimit: options.rateLimit ?? { max: 30, timeWindow: 60_000 } };
  const config: FastifyContextConfig = { ...limit, cacheControl: 'private, no-store' };

  function providerFor(id: string): OAuthProvider {
    const provider = providers.get(id);
    if (provider) return provider;
    const known = [...providers.keys()];
    throw notFound(
      `No sign-in provider is called "${id}". ${known.length > 0 ? `Configured: ${known.join(', ')}.` : 'None is configured.'}`,
    );
  }

  fastify.get<{ Params: { provider: string }; Querystring: { next?: string } }>(
    '/auth/:provider',
    { config },
    async (request, reply) => {
      const provider = providerFor(request.params.provider);
      const attempt = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateState() };
      const url = await provider.authorizationUrl(attempt);
      flowCookie.set(reply, {
        ...attempt,
        provider: provider.id,
        next: safeNext(request.query.next, afterSignIn),
        startedAt: Math.floor(Date.now() / 1000),
      });
      return reply.redirect(url.href, 302);
    },
  );

  fastify.get<{ Params: { provider: string }; Querystring: CallbackQuery }>(
    '/auth/:provider/callback',
    { config },
    async (request, reply) => {
      const provider = providerFor(request.params.provider);
      const { code, state, error } = request.query;
      const flow = flowCookie.take(request, reply, provider.id, single(state));
      // Shown only after the state matched: it comes from the provider, not from a crafted link.
      if (error !== undefined) {
        const description = single(request.query.error_description)?.slice(0, 200);
        throw new HttpError(
          400,
          'OAUTH_PROVIDER_REFUSED',
          `Sign-in with ${provider.label} was not completed: ${single(error) ?? 'error'}${description ? ` (${description})` : ''}.`,
        );
      }
      const authorizationCode = single(code);
      if (!authorizationCode)
        throw new HttpError(
          400,
          'OAUTH_CODE_MISSING',
          `The sign-in response from ${provider.label} has no code. Start the sign-in again.`,
        );
      const identity = await provider.identify(authorizationCode, flow);
      let resolved;
      try {
        resolved = await resolveAccount(options.db, provider.id, provider.label, identity);
      } catch (failure) {
        if (failure instanceof HttpError)
          options.audit?.({
            type: 'oauth.refused',
            ip: request.ip,
            detail: { provider: provider.id, reason: failure.code },
          });
        throw failure;
      }
      const { user, outcome } = resolved;
      if (resolved.takenBackFromUnverified) await options.revokeAllSessions(user.id);
      const type =
        outcome === 'created' ? 'oauth.account-created' : outcome === 'linked' ? 'oauth.linked' : 'oauth.signed-in';
      options.audit?.({
        type,
        userId: user.id,
        ip: request.ip,
        detail: { provider: provider.id, ...(resolved.takenBackFromUnverified ? { passwordRemoved: true } : {}) },
      });
      await options.signIn(request, reply, user);
      if (reply.sent) return reply;
      return reply.redirect(flow.next, 303);
    },
  );
}

/** A repeated query parameter arrives as an array; only a single value is meaningful. */
function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
