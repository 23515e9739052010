import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AppDefinition } from './app.js';
import { loadServerConfig, type ServerConfig } from './config/server-config.js';
import { staticAssets } from './http/static-assets.js';
import { wantsJson } from './http/negotiate.js';
import { health } from './observability/health.js';
import { loadClientAssets } from './render/client-manifest.js';
import { createPageRenderer, statusText } from './render/page-renderer.js';
import { ssrPages } from './render/ssr-pages.js';

export interface CreateServerOptions<S, A, D, Dest extends { route: string }> {
  readonly app: AppDefinition<S, A, D, Dest>;
  /** The client build output (Vite's outDir), holding .vite/manifest.json and assets/. */
  readonly clientDir: string;
  /** The app's own routes (JSON endpoints…), registered before the page catch-all. */
  readonly routes?: FastifyPluginAsync;
  /** Settings that win over the environment. */
  readonly config?: Partial<ServerConfig>;
  readonly env?: Record<string, string | undefined>;
}

export interface ComposableServer extends FastifyInstance {
  readonly config: ServerConfig;
  /** Listens on the configured HOST and PORT; resolves with the address. */
  start(): Promise<string>;
}

export async function createServer<S, A, D, Dest extends { route: string }>(
  options: CreateServerOptions<S, A, D, Dest>,
): Promise<ComposableServer> {
  const config = loadServerConfig(options.env ?? process.env, options.config);
  const assets = loadClientAssets(options.clientDir, options.app.clientEntry);
  const fastify = Fastify({
    logger: { level: config.logLevel },
    // Request ids are generated here, never taken from the client, until a trusted proxy is configured.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    disableRequestLogging: false,
  });

  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const renderer = createPageRenderer(options.app, assets, config);

  fastify.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 && config.nodeEnv === 'production' ? statusText(status) : error.message || statusText(status);
    if (wantsJson(request)) {
      return reply.code(status).send({ error: { status, code: error.code ?? statusText(status), message, requestId: request.id } });
    }
    return reply.code(status).type('text/html; charset=utf-8').send(await renderer.renderError(request, status, message));
  });

  fastify.setNotFoundHandler(async (request, reply) => {
    // A missing asset is a broken reference, not a page visit: no need to render the app for it.
    if (request.url.startsWith('/assets/')) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
    const message = `No route for ${request.method} ${request.url.split('?')[0]}`;
    if (wantsJson(request)) {
      return reply.code(404).send({ error: { status: 404, code: 'NOT_FOUND', message, requestId: request.id } });
    }
    return reply.code(404).type('text/html; charset=utf-8').send(await renderer.renderError(request, 404, 'Not Found'));
  });

  await fastify.register(health);
  await fastify.register(staticAssets, { root: join(options.clientDir, 'assets'), prefix: '/assets/' });
  if (options.routes) await fastify.register(options.routes);
  await fastify.register(ssrPages, { renderer });

  const server = fastify as unknown as ComposableServer;
  Object.defineProperty(server, 'config', { value: config, enumerable: true });
  Object.defineProperty(server, 'start', {
    value: () => fastify.listen({ host: config.host, port: config.port }),
  });
  return server;
}
