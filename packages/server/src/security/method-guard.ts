import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { methodNotAllowed } from '../errors/http-error.js';
import { countEvenIfExempt, EXEMPT_METHODS, isExemptUrl, isProbeOrAssetPath } from './rate-limit/skip.js';

export interface MethodGuardOptions {
  /**
   * The rate limiter as a hook (`fastify.rateLimit()`). It counts every request the guard refuses
   * and every read of these paths that is not exempt, before anything else runs: the asset plugin's
   * own checks would otherwise answer first, uncounted.
   */
  readonly limit?: preHandlerAsyncHookHandler;
  /** The directory served under /assets/: only its files are exempt from the limiter. */
  readonly assetsDir?: string;
}

const ALLOW = [...EXEMPT_METHODS].join(', ');

/** Every file under `dir` as the URL path it is served at; empty when the directory is missing. */
function assetPaths(dir: string): ReadonlySet<string> {
  try {
    return new Set(
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `/assets/${relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')}`),
    );
  } catch {
    return new Set();
  }
}

/**
 * Probes (`/health`, `/ready`), the favicon and `/assets/*` are read-only and exempt from the rate
 * limiter, so they are where a flood would go. Any other method there is refused with 405 and
 * `Allow: GET, HEAD` in `onRequest`, before the body is read: a JSON body posted to `/assets/x`
 * is never parsed. Reads the limiter must not exempt (a query string, a malformed asset name, a
 * file the build does not have) are counted here, before the asset plugin's own checks answer,
 * because each of them ends in an error page.
 */
async function methodGuardPlugin(fastify: FastifyInstance, options: MethodGuardOptions): Promise<void> {
  // Build output does not change while the server runs: list it once.
  const assets = options.assetsDir === undefined ? undefined : assetPaths(options.assetsDir);
  const isServed = (path: string) => !path.startsWith('/assets/') || assets === undefined || assets.has(path);

  const guard = async (request: FastifyRequest, reply: FastifyReply, path: string) => {
    countEvenIfExempt(request);
    await options.limit?.call(fastify, request, reply);
    if (EXEMPT_METHODS.has(request.method)) return;
    reply.header('allow', ALLOW);
    throw methodNotAllowed(`${request.method} is not allowed on ${path}: it only answers ${ALLOW}`);
  };
  // Callback-style: most requests are neither probes nor assets, and an async hook would cost each
  // of them a promise and a microtask.
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url.split('?', 1)[0]!;
    if (
      !isProbeOrAssetPath(path) ||
      (EXEMPT_METHODS.has(request.method) && isExemptUrl(request.url) && isServed(path))
    ) {
      done();
      return;
    }
    guard(request, reply, path).then(() => {
      if (!reply.sent) done();
    }, done);
  });
}

export const methodGuard = fp(methodGuardPlugin, { name: '@composable-svelte/method-guard', fastify: '5.x' });
