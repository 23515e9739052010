/**
 * What the token tests share: the fixture migration of the auth tables, settings, accounts with
 * Argon2id passwords, the `verifyCredentials` an app gets from the sessions feature (written here
 * over auth_users directly), and an app shaped like createServer's around the authTokens plugin.
 */
import { fileURLToPath } from 'node:url';
import { hash, verify } from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Principal, Viewer } from '../../src/auth/principal.js';
import { users } from '../../src/auth/schema.js';
import type { AuthTokensSettings, TokenAuditEvent } from '../../src/auth/tokens/index.js';
import { authTokens } from '../../src/auth/tokens/index.js';
import type { Db } from '../../src/db/open-database.js';
import { errorHandler } from '../../src/errors/error-handler.js';
import { rateLimit } from '../../src/security/rate-limit/plugin.js';

export const AUTH_TOKENS_MIGRATIONS = fileURLToPath(new URL('../fixtures/migrations/auth', import.meta.url));

export const SETTINGS: AuthTokensSettings = {
  issuer: 'https://blog.example.test',
  audience: 'https://blog.example.test',
  accessTokenTtlS: 900,
  clockSkewS: 30,
  refreshFamilyTtlS: 30 * 86_400,
  signingKeyRotationS: 7 * 86_400,
  signingKeySecret: 'test-signing-key-secret-of-at-least-32-chars',
  scopes: ['read', 'write', 'admin'],
  apiKeyPrefix: 'cs_live_',
};

/** A settable clock in ms, starting at a fixed instant so runs are reproducible. */
export function testClock(start = Date.UTC(2026, 0, 1)) {
  const clock = { ms: start, now: () => clock.ms, advance: (ms: number) => void (clock.ms += ms) };
  return clock;
}

// Cheap parameters: these tests exercise tokens, not the password hash's cost.
const ARGON = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export async function createUser(
  db: Db<Record<string, unknown>>,
  account: { email: string; name: string; password: string; roles?: string[] },
): Promise<Viewer> {
  const [row] = await db
    .insert(users)
    .values({
      email: account.email,
      name: account.name,
      passwordHash: await hash(account.password, ARGON),
      roles: account.roles ?? [],
    })
    .returning({ id: users.id, name: users.name, roles: users.roles });
  return row!;
}

/** The sessions feature's credential check, reduced to what the token endpoint relies on. */
export function verifyCredentialsOver(db: () => Db<Record<string, unknown>>) {
  let dummy: Promise<string> | undefined;
  return async (email: string, password: string): Promise<Viewer | undefined> => {
    const [row] = await db()
      .select({ id: users.id, name: users.name, roles: users.roles, passwordHash: users.passwordHash })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`);
    dummy ??= hash('not-a-password-anyone-has', ARGON);
    const ok = await verify(row?.passwordHash ?? (await dummy), password);
    return row && ok ? { id: row.id, name: row.name, roles: row.roles } : undefined;
  };
}

export interface TokenAppOptions {
  readonly db: () => Db<Record<string, unknown>>;
  readonly now?: () => number;
  readonly settings?: Partial<AuthTokensSettings>;
  readonly rateLimit?: { max: number; windowMs: number } | false;
  readonly keyCacheTtlMs?: number;
}

/**
 * Error handler, rate limiter, the plugin, and a principal resolver like the sessions feature's:
 * `x-test-session: <user id>` stands for a session cookie, then the bearer authenticator. Plus
 * `/api/test/notes`, a route that needs the `write` scope.
 */
export async function tokenApp(options: TokenAppOptions): Promise<{ app: FastifyInstance; audits: TokenAuditEvent[] }> {
  const audits: TokenAuditEvent[] = [];
  const app = Fastify({ logger: false });
  await app.register(errorHandler, { production: true });
  if (options.rateLimit) await app.register(rateLimit, options.rateLimit);
  await app.register(authTokens, {
    db: options.db,
    settings: { ...SETTINGS, ...options.settings },
    verifyCredentials: verifyCredentialsOver(options.db),
    audit: (event) => void audits.push(event),
    rateLimit: options.rateLimit ?? false,
    ...(options.now ? { now: options.now } : {}),
    ...(options.keyCacheTtlMs === undefined ? {} : { keyCacheTtlMs: options.keyCacheTtlMs }),
  });
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const session = request.headers['x-test-session'];
    const principal: Principal | undefined =
      typeof session === 'string'
        ? { viewer: { id: Number(session), name: 'session user', roles: [] }, via: 'session', scopes: 'all' }
        : await app.authTokens.authenticate(request);
    if (principal) (request as { principal?: Principal }).principal = principal;
  });
  app.post('/api/test/notes', async (request, reply) => {
    const principal = (request as { principal?: Principal }).principal;
    if (!principal) return reply.code(401).send({ error: 'sign in' });
    if (principal.scopes !== 'all' && !principal.scopes.includes('write'))
      return reply.code(403).send({ error: 'scope' });
    return { by: principal.viewer.id, via: principal.via };
  });
  await app.ready();
  return { app, audits };
}
