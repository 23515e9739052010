/**
 * A small app with accounts for the auth tests: the auth fixture pages, form routes for sign-up,
 * sign-in and sign-out, JSON routes with each kind of requirement, and a cookie jar for inject.
 */
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { HttpError } from '../../src/errors/http-error.js';
import { safeNext } from '../../src/auth/safe-next.js';
import type { Database } from '../../src/db/open-database.js';
import type { ComposableServer } from '../../src/index.js';
import { authFixtureApp } from '../fixtures/auth-app.js';
import { startTestServer } from './test-server.js';

export const AUTH_MIGRATIONS = fileURLToPath(new URL('../fixtures/migrations/auth', import.meta.url));

/**
 * OWASP's minimum Argon2id cost: the tests hash many passwords (the production default is measured
 * in auth-passwords.test.ts). Load shedding off: not what these tests check, and a machine busy
 * with other suites would trip it.
 */
export const AUTH_TEST_ENV = {
  AUTH_ARGON2_MEMORY_KIB: '19456',
  AUTH_ARGON2_TIME_COST: '2',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
};

export const STRONG_PASSWORD = 'correct-horse-battery-staple-91';

type Body = Record<string, string | undefined>;

const authRoutes: FastifyPluginAsync = async (fastify: FastifyInstance) => {
  const auth = fastify.auth!;
  fastify.get('/csrf', async (_request, reply) => ({ token: reply.generateCsrf() }));
  fastify.post('/signup', async (request, reply) => {
    const body = request.body as Body;
    await auth.signUp(request, reply, body);
    return reply.redirect('/', 303);
  });
  fastify.post('/login', async (request, reply) => {
    const body = request.body as Body;
    try {
      await auth.logIn(request, reply, body);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 401)
        return reply.code(401).type('text/html').send(`<p>${error.message}</p>`);
      throw error;
    }
    auth.setFlash(reply, { kind: 'success', text: 'Welcome back.' });
    return reply.redirect(safeNext(body.next), 303);
  });
  fastify.post('/logout', async (request, reply) => {
    await auth.logOut(request, reply);
    return reply.redirect('/', 303);
  });
  fastify.post('/account/sign-out-everywhere', { config: { auth: 'required' } }, async (request, reply) => {
    await auth.signOutEverywhere(request, reply);
    return reply.redirect('/', 303);
  });
  fastify.post('/account/password', { config: { auth: 'required' } }, async (request, reply) => {
    const body = request.body as Body;
    await auth.changePassword(request, reply, { currentPassword: body.current, newPassword: body.password });
    return reply.redirect('/account', 303);
  });
  fastify.post('/account/sessions/revoke', { config: { auth: 'required' } }, async (request, reply) => {
    const revoked = await auth.revokeSession(request, reply, (request.body as Body).id ?? '');
    return reply.code(revoked ? 200 : 404).send({ revoked });
  });
  fastify.post('/roles', { config: { auth: 'required' } }, async (request, reply) => {
    const body = request.body as Body;
    const viewer = await auth.setRoles(
      request,
      reply,
      Number(body.userId),
      (body.roles ?? '').split(',').filter(Boolean),
    );
    return { viewer };
  });
  fastify.post('/notes', { config: { auth: 'required' } }, async (_request, reply) => reply.redirect('/', 303));
  fastify.get('/api/me', { config: { auth: 'required' } }, async (request) => request.principal!.viewer);
  fastify.get('/api/sessions', { config: { auth: 'required' } }, async (request) => auth.listSessions(request));
  fastify.get('/api/admin', { config: { auth: { roles: ['admin'] } } }, async () => ({ ok: true }));
  fastify.get('/api/scoped', { config: { auth: { scopes: ['notes:write'] } } }, async () => ({ ok: true }));
};

export interface AuthServerOptions {
  readonly database: Database<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly redis?: Redis | null;
  readonly invalidationChannel?: string;
  readonly bearerRealm?: string;
  /** Where prerendered pages are read from (createServer's `prerendered`). */
  readonly prerendered?: string;
}

export async function startAuthServer(options: AuthServerOptions): Promise<ComposableServer> {
  const { server } = await startTestServer({
    app: authFixtureApp(),
    database: options.database,
    migrationsFolder: AUTH_MIGRATIONS,
    ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
    env: { ...AUTH_TEST_ENV, ...options.env },
    routes: authRoutes,
    ...(options.prerendered !== undefined ? { prerendered: options.prerendered } : {}),
    auth: {
      ...(options.redis !== undefined ? { redis: options.redis } : {}),
      ...(options.invalidationChannel ? { invalidationChannel: options.invalidationChannel } : {}),
      ...(options.bearerRealm ? { bearerRealm: options.bearerRealm } : {}),
    },
  });
  await server.ready();
  return server;
}

/** Cookies as a browser keeps them across inject calls (name → value; expired ones dropped). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(setCookie: string | string[] | number | undefined): void {
    const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [String(setCookie)];
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      const expired = attributes.some(
        (attribute) => /^\s*max-age=0\s*$/i.test(attribute) || /^\s*expires=Thu, 01 Jan 1970/i.test(attribute),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** A browser: a jar, and a CSRF token fetched once. */
export class Browser {
  readonly jar = new CookieJar();
  private csrf: string | undefined;

  constructor(
    private readonly server: ComposableServer,
    private readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  ) {}

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.server.inject({
      method: 'GET',
      url,
      headers: { cookie: this.jar.header(), 'user-agent': this.userAgent, ...headers },
    });
    this.jar.store(response.headers['set-cookie']);
    return response;
  }

  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    if (this.csrf === undefined) this.csrf = ((await this.get('/csrf')).json() as { token: string }).token;
    const response = await this.server.inject({
      method: 'POST',
      url,
      headers: {
        cookie: this.jar.header(),
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': this.userAgent,
        ...headers,
      },
      payload: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
    });
    this.jar.store(response.headers['set-cookie']);
    return response;
  }
}
