import type { FastifyPluginAsync } from 'fastify';
import { afterAll, afterEach } from 'vitest';
import { createServer, type ComposableServer, type SecurityOptions, type ServerConfig } from '../../src/index.js';
import { fixtureApp, fixtureClientDir, type FixtureDependencies } from '../fixtures/app.js';

/** The production environment every security test starts from. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://example.test',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  // Load shedding is not under test here, and these tests keep the event loop busy on purpose:
  // a 503 for "overloaded" would hide the answer being checked.
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
};

/** A marker no response may ever contain: the text of the error thrown by GET /boom. */
export const INTERNAL_DETAIL = 'secret internal detail from a route';

/**
 * State-changing routes for the CSRF, CORS and limit tests, plus a route that throws and an
 * embeddable page with its own CSP.
 */
export const securityRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/token', async (_request, reply) => ({ token: reply.generateCsrf() }));
  fastify.post('/form', async (request) => ({ ok: true, body: request.body }));
  fastify.post('/api/things', async (request) => ({ ok: true, body: request.body }));
  fastify.put('/api/things/:id', async (request) => ({ ok: true, body: request.body }));
  fastify.delete('/api/things/:id', async () => ({ ok: true }));
  fastify.post('/webhook', { config: { csrf: false } }, async () => ({ ok: true }));
  fastify.get('/boom', async () => {
    throw new Error(INTERNAL_DETAIL);
  });
  fastify.get('/embed', async (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>embed</p>'));
  fastify.get('/widget', { config: { csp: { 'img-src': ["'self'", 'https://img.example'] } } }, async () => ({
    widget: true,
  }));
  fastify.get('/plain', async () => ({ plain: true }));
  // A route of its own for OPTIONS, away from the paths CORS preflights are tested on.
  fastify.route({ method: 'OPTIONS', url: '/options-probe', handler: async () => ({ options: true }) });
};

export interface StartOptions {
  readonly security?: SecurityOptions;
  readonly config?: Partial<ServerConfig>;
  /** Replaces {@link securityRoutes}. */
  readonly routes?: FastifyPluginAsync;
  /** Defaults to a fresh fixture client build. */
  readonly clientDir?: string;
  /** 'file' for a server shared by the tests of a file (started in beforeAll). */
  readonly lifetime?: 'test' | 'file';
}

const perTest: ComposableServer[] = [];
const perFile: ComposableServer[] = [];

/**
 * Closes the servers a test started after each test, and those started with `lifetime: 'file'`
 * (in beforeAll) after the file. Call once at the top level of a test file.
 */
export function closeServers(): void {
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((server) => server.close()));
  });
  afterAll(async () => {
    await Promise.all(perFile.splice(0).map((server) => server.close()));
  });
}

export interface Started {
  readonly server: ComposableServer;
  readonly clientDir: string;
}

/** A production server with the fixture app, the fixture client build and {@link securityRoutes}. */
export async function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<Started> {
  const deps: FixtureDependencies = { signals: [] };
  const clientDir = options.clientDir ?? fixtureClientDir();
  const server = await createServer({
    app: fixtureApp(deps),
    clientDir,
    env: { ...PRODUCTION_ENV, ...env },
    routes: options.routes ?? securityRoutes,
    ...(options.security ? { security: options.security } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  (options.lifetime === 'file' ? perFile : perTest).push(server);
  return { server, clientDir };
}

/** Listens on a free loopback port; for what only a real socket shows (Node's own 431, raw bytes). */
export async function listen(server: ComposableServer): Promise<number> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  return (server.server.address() as { port: number }).port;
}
