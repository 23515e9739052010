import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import Fastify, { LogController, type FastifyHttpOptions, type FastifyInstance, type FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { DestinationStream } from 'pino';
import type { ServerConfig } from '../config/load-config.js';
import { errorBody } from '../errors/error-response.js';
import { loggerOptions } from '../observability/logger.js';
import { metricsHandler } from '../observability/metrics.js';
import type { HeaderTable } from '../security/headers.js';
import { requestIdGenerator } from '../security/request-id.js';
import { clientErrorHandler } from './client-error.js';
import { nodeHttp } from './node-http.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The validated server configuration, readable by every plugin and route. */
    readonly config: ServerConfig;
    /** Listens on the configured HOST and PORT (and METRICS_PORT, HTTP_REDIRECT_PORT); resolves with the address. */
    start(): Promise<string>;
  }
}

/** How often Node checks requestTimeout/headersTimeout: its 30 s default let a slow body run twice the limit. */
const TIMEOUT_CHECK_MS = 1000;

/**
 * The Fastify instance and its main listener: HTTP, or HTTPS with HTTP/2 and an HTTP/1.1 fallback
 * when a certificate is configured; limits and timeouts from the config on every protocol; the
 * few answers made before any hook runs (a malformed URL, malformed HTTP) hardened and with an id.
 */
export function createFastify(
  config: ServerConfig,
  options: {
    hardenedHeaders: HeaderTable;
    logStream?: DestinationStream;
    /** Maps a request's URL before routing (the locale prefix taken off); `originalUrl` keeps it. */
    rewriteUrl?: (url: string) => string;
  },
): FastifyInstance {
  const { limits } = config;
  const production = config.nodeEnv === 'production';
  const http = {
    maxHeaderSize: limits.headerBytes,
    connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_MS, limits.requestTimeoutMs),
    // Node's own 400 for a missing Host has no headers; the request-limits plugin answers instead.
    requireHostHeader: false,
  };
  const serverOptions: FastifyHttpOptions<Server> = {
    logger: loggerOptions({
      level: config.logLevel,
      production,
      ...(options.logStream ? { stream: options.logStream } : {}),
    }),
    // One line per request comes from the request-log plugin instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdGenerator(config.requestIdHeader),
    requestIdHeader: false,
    // Fastify accepts a hop count at run time; its types only list the other forms.
    trustProxy: config.trustProxy as boolean | string[],
    bodyLimit: limits.bodyBytes,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http,
    clientErrorHandler: clientErrorHandler(options.hardenedHeaders),
    // Route schemas are checked against the JSON Schema meta-schema outside production, where every
    // route is compiled at start just the same; production skips that check (building Ajv's
    // meta-schema validator is ~30 ms of a start). Requests are validated the same way in both.
    ...(production ? { ajv: { customOptions: { validateSchema: false } } } : {}),
    ...(options.rewriteUrl ? { rewriteUrl: (request) => options.rewriteUrl!(request.url ?? '/') } : {}),
    // A malformed URL fails before any hook runs: answer it here, hardened, with a request id.
    frameworkErrors: (error, request, reply) => {
      reply.headers({ ...options.hardenedHeaders, 'x-request-id': request.id });
      const problem = { status: 400, code: 'BAD_URL', message: 'The request URL is malformed' };
      void (reply as FastifyReply).code(400).send(errorBody(problem, String(request.id)));
      request.log.info({ err: error }, 'malformed request URL');
    },
  };
  // With a certificate, serve HTTPS and HTTP/2 directly; HTTP/1.1 clients are still served (ALPN).
  const tlsOptions = config.tls
    ? {
        http2: true,
        https: {
          ...http,
          allowHTTP1: true,
          cert: readFileSync(config.tls.certPath),
          key: readFileSync(config.tls.keyPath),
          // HTTP/2's own header limit; the HTTP/1.1 fallback reads maxHeaderSize.
          settings: { maxHeaderListSize: limits.headerBytes },
        },
      }
    : {};
  const fastify = Fastify({ ...serverOptions, ...tlsOptions } as FastifyHttpOptions<Server>);
  if (config.tls) {
    // Fastify applies these to plain HTTP servers only; the TLS server's HTTP/1.1 fallback reads them too.
    Object.assign(fastify.server, {
      maxHeaderSize: limits.headerBytes,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: Math.min(60_000, limits.requestTimeoutMs),
    });
  }
  if (limits.maxConnections > 0) fastify.server.maxConnections = limits.maxConnections;
  fastify.decorate('config', config);
  return fastify;
}

/**
 * The listeners besides the main one: /metrics on its own port (METRICS_PORT) and a plain-HTTP
 * redirect to PUBLIC_URL (HTTP_REDIRECT_PORT); `start()` opens them all, `close()` closes them.
 */
async function listenersPlugin(fastify: FastifyInstance, options: { metricsPort: boolean }): Promise<void> {
  const { config } = fastify;
  let metricsServer: FastifyInstance | undefined;
  if (options.metricsPort && config.metrics.port !== undefined) {
    metricsServer = Fastify({ logger: false });
    metricsServer.get('/metrics', metricsHandler(fastify.metrics, config.metrics.token));
    fastify.addHook('onClose', async () => {
      await metricsServer?.close();
    });
  }
  let redirectServer: Server | undefined;
  if (config.httpRedirectPort !== undefined) {
    // The target comes from PUBLIC_URL, never from the Host header: no open redirect.
    const origin = new URL(config.publicUrl).origin;
    redirectServer = nodeHttp.createServer((request, response) => {
      const path = request.url?.startsWith('/') && !request.url.startsWith('//') ? request.url : '/';
      response.writeHead(308, { location: origin + path, 'cache-control': 'no-store', 'content-length': '0' });
      response.end();
    });
    fastify.addHook('onClose', async () => {
      await new Promise<void>((resolve) => redirectServer!.close(() => resolve()));
    });
  }
  fastify.decorate('start', async () => {
    if (metricsServer) await metricsServer.listen({ host: config.metrics.host, port: config.metrics.port! });
    if (redirectServer) {
      await new Promise<void>((resolve, reject) => {
        redirectServer!.once('error', reject).listen(config.httpRedirectPort, config.host, () => resolve());
      });
    }
    return fastify.listen({ host: config.host, port: config.port });
  });
}

export const listeners = fp(listenersPlugin, {
  name: '@composable-svelte/listeners',
  fastify: '5.x',
  dependencies: ['@composable-svelte/metrics'],
});
