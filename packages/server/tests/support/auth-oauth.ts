/**
 * A bare Fastify app with the OAuth routes over a fresh database of one tier, and a "browser" that
 * walks a sign-in: our redirect, the provider's redirect back, our callback, with the cookie jar.
 */
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import type { Tier } from '@composable-svelte/testing';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AccountEvent } from '../../src/auth/oauth/audit-event.js';
import { oauthRoutes, type OAuthRoutesOptions } from '../../src/auth/oauth/oauth-routes.js';
import type { OAuthProvider } from '../../src/auth/oauth/provider.js';
import type { User } from '../../src/auth/schema.js';
import { migrate } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/open-database.js';
import { errorHandler } from '../../src/errors/error-handler.js';
import { rateLimit } from '../../src/security/rate-limit/plugin.js';

export const AUTH_MIGRATIONS = fileURLToPath(new URL('../fixtures/migrations/auth', import.meta.url));
export const APP_ORIGIN = 'http://app.test';

export interface OAuthHarness {
  readonly app: FastifyInstance;
  readonly database: Database<Record<string, unknown>>;
  readonly signedIn: User[];
  readonly revoked: number[];
  readonly events: AccountEvent[];
}

export async function oauthHarness(
  tier: Tier,
  providers: readonly OAuthProvider[],
  disposers: (() => Promise<void>)[],
  overrides: Partial<OAuthRoutesOptions> = {},
): Promise<OAuthHarness> {
  const { database, dispose } = await tier.fresh();
  disposers.push(dispose);
  await migrate(database.db, AUTH_MIGRATIONS);
  const signedIn: User[] = [];
  const revoked: number[] = [];
  const events: AccountEvent[] = [];
  const app = Fastify();
  await app.register(errorHandler, { production: true });
  await app.register(cookie, { secret: 'test-secret-that-is-at-least-32-characters' });
  // A route limit needs the server's limiter, as createServer registers it.
  if (overrides.rateLimit) await app.register(rateLimit, { max: 1000, windowMs: 60_000 });
  await app.register(oauthRoutes, {
    db: database.db,
    providers,
    secureCookie: false,
    rateLimit: false,
    audit: (event) => events.push(event),
    revokeAllSessions: async (userId) => {
      revoked.push(userId);
    },
    signIn: async (_request, reply, user) => {
      signedIn.push(user);
      reply.setCookie('session', `user-${user.id}`, { path: '/' });
    },
    ...overrides,
  });
  disposers.unshift(() => app.close());
  return { app, database, signedIn, revoked, events };
}

export interface Callback {
  /** Path and query of our callback, as the provider redirected to it. */
  readonly path: string;
  /** The Cookie header the browser would send with it. */
  readonly cookie: string;
}

/** Our redirect to the provider, then the provider's redirect back (followed with fetch, not by us). */
export async function startSignIn(app: FastifyInstance, provider: string, next?: string): Promise<Callback> {
  const started = await app.inject({
    method: 'GET',
    url: `/auth/${provider}${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  });
  expect(started.statusCode, started.body).toBe(302);
  const flow = started.cookies.find((entry) => entry.name === 'cs_oauth');
  expect(flow).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 600 });
  const atProvider = await fetch(started.headers.location!, { redirect: 'manual' });
  expect(atProvider.status).toBeGreaterThanOrEqual(300);
  const back = new URL(atProvider.headers.get('location')!);
  expect(back.origin).toBe(APP_ORIGIN);
  return { path: `${back.pathname}${back.search}`, cookie: `cs_oauth=${flow!.value}` };
}

export function finish(app: FastifyInstance, callback: Callback): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: callback.path,
    headers: { cookie: callback.cookie, accept: 'application/json' },
  });
}

export function errorCode(response: LightMyRequestResponse): string {
  return (response.json() as { error: { code: string } }).error.code;
}
