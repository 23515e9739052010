import type { Locales } from '@composable-svelte/core/i18n';
import type { DoneFuncWithErrOrRes, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import type { ServerConfig } from '../config/load-config.js';
import type { Db } from '../db/open-database.js';
import { wantsJsonError } from '../errors/error-response.js';
import { forbidden, HttpError } from '../errors/http-error.js';
import { requestPath } from '../render/page-renderer.js';
import { requestLocale } from '../i18n/request-locale.js';
import './fastify-types.js';
import { TooManyAttemptsError } from './auth-errors.js';
import { accountPseudonym } from './account-pseudonym.js';
import { createAuthService } from './auth-service.js';
import { authCookies, secureCookies } from './cookies.js';
import { guardFor, type AuthRequirement } from './guards.js';
import { createIpLimiter } from './ip-limiter.js';
import { createLoginThrottle } from './login-throttle.js';
import type { Authenticator, Principal } from './principal.js';
import { preparePasswordStrength } from './password-strength.js';
import { purgeExpiredAuth } from './purge-expired.js';
import { safeNext } from './safe-next.js';
import { createSessionCache } from './session-cache.js';
import { createSessionStore } from './session-store.js';

export interface AuthPluginOptions {
  /** Defaults to the server's database (`createServer({ database })`). */
  readonly db?: Db<Record<string, unknown>>;
  /** Tried in order after the session cookie (bearer access tokens, API keys); more with `fastify.auth.addAuthenticator`. */
  readonly authenticators?: readonly Authenticator[];
  /** Where a browser that must sign in is sent, with `?next=`; default `/login`. */
  readonly loginPath?: string;
  /** The app's locales (set by createServer): a French page sends to the French sign-in page. */
  readonly locales?: Locales;
  /** Set when API routes accept bearer credentials: JSON 401s then carry `WWW-Authenticate: Bearer realm="…"`. */
  readonly bearerRealm?: string;
  /** Defaults to `fastify.config.auth` (the AUTH_* settings). */
  readonly settings?: ServerConfig['auth'];
  /** Defaults to `fastify.redis` (REDIS_URL); null keeps everything in this process. */
  readonly redis?: Redis | null;
  /** Redis pub/sub channel for session invalidations (instances sharing a database share it); default `<REDIS_KEY_PREFIX>auth:sessions`. */
  readonly invalidationChannel?: string;
  readonly now?: () => Date;
  /**
   * Every instance deletes expired auth rows (`purgeExpiredAuth`) each hour; default true. Set it
   * false when the scheduled `authPurgeJob` does it, once a night across every instance.
   */
  readonly sweepExpired?: boolean;
}

const HOUR_MS = 3_600_000;

/**
 * Resolves `request.principal` for every request (the session cookie first, then the
 * authenticators given), applies each route's `config.auth`, and decorates `fastify.auth` with
 * the account and session operations. A session cookie that no longer names a live session is
 * cleared and the request is anonymous: a browser cannot act on a 401 for a cookie it sends by
 * itself, and the route's own requirement then decides (sign-in redirect or 401).
 */
async function registerAuth(fastify: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  const db = options.db ?? fastify.database?.db;
  if (!db)
    throw new Error(
      'auth: no database. Pass `database` to createServer (or `db` to the auth plugin) for the auth tables.',
    );
  const { config } = fastify;
  // Built once the server listens, not during start-up (half a second before /health could answer),
  // and not in the first request that checks a password either.
  fastify.addHook('onListen', async () => {
    setImmediate(preparePasswordStrength);
  });
  const settings = options.settings ?? config.auth;
  const redis = options.redis === undefined ? fastify.redis : (options.redis ?? undefined);
  const secure = secureCookies(config.publicUrl, config.nodeEnv === 'production');
  const cookies = authCookies(secure, Math.floor(settings.sessionAbsoluteMs / 1000));
  // Under REDIS_KEY_PREFIX like every key the server writes, so apps sharing a Redis stay apart.
  const prefix = `${config.redisKeyPrefix}auth:`;
  const cache = createSessionCache({
    ttlMs: settings.sessionCacheTtlMs,
    ...(redis ? { redis } : {}),
    channel: options.invalidationChannel ?? `${prefix}sessions`,
    logger: fastify.log,
  });
  const sessions = createSessionStore({
    db,
    idleMs: settings.sessionIdleMs,
    absoluteMs: settings.sessionAbsoluteMs,
    touchMs: settings.sessionTouchMs,
    cache,
    ...(options.now ? { now: options.now } : {}),
  });
  const ipLimiter = createIpLimiter({
    max: settings.loginIpMax,
    windowMs: settings.loginIpWindowMs,
    ...(redis ? { redis, keyPrefix: `${prefix}ip:` } : {}),
    onError: (error) => fastify.log.warn({ err: error }, 'auth: IP limit unavailable (Redis); attempt let through'),
  });
  const service = createAuthService({
    db,
    sessions,
    cookies,
    passwordParams: settings.argon2,
    passwordMinScore: settings.passwordMinScore,
    throttle: createLoginThrottle({
      db,
      freeFailures: settings.loginFreeFailures,
      maxBackoffMs: settings.loginBackoffMaxMs,
      ...(options.now ? { now: options.now } : {}),
    }),
    pseudonym: accountPseudonym(config.sessionSecret),
    ipLimiter,
    ...(options.authenticators ? { authenticators: options.authenticators } : {}),
    logger: fastify.log,
  });
  const loginPath = options.loginPath ?? '/login';
  const publicOrigin = new URL(config.publicUrl).origin;

  /** The request's principal from its authenticators, from the `from`-th on; sync while they are. */
  const authenticated = (request: FastifyRequest, from = 0): Principal | null | Promise<Principal | null> => {
    const { authenticators } = service;
    for (let at = from; at < authenticators.length; at++) {
      const principal = authenticators[at]!(request);
      if (principal instanceof Promise) return principal.then((found) => found ?? authenticated(request, at + 1));
      if (principal) return principal;
    }
    return null;
  };
  const fromSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    token: string,
  ): Promise<Principal | null> => {
    const session = await sessions.validate(token);
    if (session) return { viewer: session.viewer, via: 'session', scopes: 'all', sessionId: session.id };
    const { path, httpOnly, sameSite } = cookies.session.options;
    reply.clearCookie(cookies.session.name, { path, secure, httpOnly, sameSite });
    return authenticated(request);
  };
  /** Without a session cookie or a credential (an anonymous visitor), this answers at once. */
  const resolve = (request: FastifyRequest, reply: FastifyReply): Principal | null | Promise<Principal | null> => {
    const token = request.cookies?.[cookies.session.name];
    return token === undefined ? authenticated(request) : fromSession(request, reply, token);
  };

  const localizedLoginPath = (request: FastifyRequest) =>
    options.locales
      ? options.locales.localize(requestLocale(request, options.locales, options.locales.defaultLocale), loginPath)
      : loginPath;

  /** Back to the page after signing in: the page itself for a GET, the page the form was on otherwise. */
  const returnPath = (request: FastifyRequest): string => {
    if (request.method === 'GET' || request.method === 'HEAD') return safeNext(requestPath(request.originalUrl));
    const referer = URL.parse(request.headers.referer ?? '');
    return referer?.origin === publicOrigin ? safeNext(referer.pathname + referer.search) : '/';
  };

  const authorize = async (request: FastifyRequest, reply: FastifyReply, requirement: AuthRequirement) => {
    const decision = guardFor(requirement)({ principal: request.principal });
    if (decision.allow) return undefined;
    if (decision.status === 403) throw forbidden(decision.message);
    if (!wantsJsonError(request))
      return reply.redirect(`${localizedLoginPath(request)}?next=${encodeURIComponent(returnPath(request))}`, 303);
    const challenge = options.bearerRealm ? { 'www-authenticate': `Bearer realm="${options.bearerRealm}"` } : undefined;
    throw new HttpError(401, 'UNAUTHENTICATED', decision.message, challenge ? { headers: challenge } : {});
  };

  fastify.decorateRequest('principal', null);
  fastify.decorate('auth', service);
  fastify.decorate('authorize', authorize);

  const admit = (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal | null,
    done: DoneFuncWithErrOrRes,
  ) => {
    request.principal = principal;
    const requirement = request.routeOptions.config?.auth;
    if (requirement === undefined || requirement === false) return done();
    // A redirect to sign in answered the request: nothing after this hook may run.
    authorize(request, reply, requirement).then(() => {
      if (!reply.sent) done();
    }, done);
  };
  // Callback-style: an anonymous request to a public route has nothing to wait for, and an async
  // hook would cost every request a promise and a microtask.
  fastify.addHook('onRequest', (request, reply, done) => {
    // Its Authorization header is meant for the route itself, not for the accounts.
    if (request.routeOptions.config?.auth === false) return done();
    let principal: ReturnType<typeof resolve>;
    try {
      principal = resolve(request, reply);
    } catch (error) {
      return done(error as Error);
    }
    if (principal instanceof Promise) principal.then((found) => admit(request, reply, found, done), done);
    else admit(request, reply, principal, done);
  });
  fastify.addHook('onError', async (_request, reply, error) => {
    if (error instanceof TooManyAttemptsError) reply.header('retry-after', String(error.retryAfterSeconds));
  });

  const sweep =
    options.sweepExpired === false
      ? undefined
      : setInterval(() => {
          purgeExpiredAuth(db, options.now ? { now: options.now() } : {}).catch((error: unknown) =>
            fastify.log.warn({ err: error }, 'auth: expired rows not swept'),
          );
        }, HOUR_MS);
  sweep?.unref();
  fastify.addHook('onClose', async () => {
    clearInterval(sweep);
    ipLimiter.close();
    await cache.close();
  });
}

export const authPlugin = fp(registerAuth, {
  name: '@composable-svelte/auth',
  fastify: '5.x',
  dependencies: ['@fastify/cookie'],
});
