import type { FastifyPluginAsync } from 'fastify';
import type { SecurityOptions, ServerConfig } from '../../src/index.js';
import { closeTestServers, PRODUCTION_ENV as BASE_ENV, startTestServer, type TestServer } from './test-server.js';

export { listen } from './test-server.js';

/** The production environment every security test starts from. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  ...BASE_ENV,
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

/** Closes the servers the tests of a file started. Call once at the top level of a test file. */
export const closeServers = closeTestServers;

export type Started = TestServer;

/** A production server with the fixture app, the fixture client build and {@link securityRoutes}. */
export function startServer(env: Record<string, string> = {}, options: StartOptions = {}): Promise<Started> {
  return startTestServer({ ...options, baseEnv: PRODUCTION_ENV, env, routes: options.routes ?? securityRoutes });
}
