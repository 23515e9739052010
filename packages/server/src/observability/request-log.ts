import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from 'pino';

/** Routes whose successful requests are logged at debug, not info: probes would drown the log. */
const QUIET = new Set(['/health', '/ready', '/metrics']);

/**
 * One line per request, written when the response is done: id, method, route pattern, URL, status
 * and duration. Fastify's own two lines per request are turned off in createServer.
 */
async function requestLogPlugin(fastify: FastifyInstance): Promise<void> {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? '(not found)';
    const status = reply.statusCode;
    // 503s are deliberate refusals (load shedding, a backend away): under overload, error-level
    // lines for each would add I/O exactly when the process can least afford it.
    const level =
      status === 503 ? 'warn' : status >= 500 ? 'error' : QUIET.has(route) && status < 400 ? 'debug' : 'info';
    // Probes and busy routes run this on every request: build the line only when it will be written.
    // Fastify's logger type omits pino's level check; the instance is pino's.
    if (!(request.log as Logger).isLevelEnabled(level)) {
      done();
      return;
    }
    // The logger's formatter redacts secret query values (token, password, _csrf…) in this URL.
    // The URL as the client sent it: with locales, routing sees it without its `/fr` prefix.
    const line = {
      method: request.method,
      route,
      url: request.originalUrl,
      status,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      ...(request.traceContext ? { traceId: request.traceContext.traceId } : {}),
    };
    request.log[level](line, 'request completed');
    done();
  });
}

export const requestLog = fp(requestLogPlugin, {
  name: '@composable-svelte/request-log',
  fastify: '5.x',
  dependencies: ['@composable-svelte/trace-context'],
});
