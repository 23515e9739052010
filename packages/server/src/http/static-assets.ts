import { realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from '../errors/http-error.js';

export interface StaticAssetsOptions {
  /** Directory of hashed build output, e.g. dist/client/assets. */
  readonly root: string;
  /** URL prefix, e.g. /assets/. */
  readonly prefix?: string;
}

/**
 * Sequences that have no business in an asset URL: traversal in any spelling, encoded separators,
 * backslashes, NUL, and double encoding. Rejected as malformed before the file system is touched.
 */
const SUSPICIOUS = /\.\.|%2e|%2f|%5c|%00|%25|\\|\0/i;
const DOTFILE_SEGMENT = /(^|\/)\./;

async function staticAssetsPlugin(fastify: FastifyInstance, options: StaticAssetsOptions): Promise<void> {
  const prefix = options.prefix ?? '/assets/';
  const root = realpathSync(options.root);
  const verified = new Set<string>();

  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith(prefix)) {
      done();
      return;
    }
    const path = request.url.slice(prefix.length).split('?')[0]!;
    done(SUSPICIOUS.test(path) || DOTFILE_SEGMENT.test(path) ? badRequest('Malformed asset path') : undefined);
  });

  await fastify.register(fastifyStatic, {
    root,
    prefix,
    decorateReply: false,
    serveDotFiles: false,
    index: false,
    list: false,
    cacheControl: false,
    // .br / .gz written at build time are sent as they are; nothing is compressed per request.
    preCompressed: true,
    // A symlink inside the build must not lead outside it. Build output does not change while the
    // server runs, so each verified path is remembered (only real files: misses are not cached).
    allowedPath: (pathName) => {
      if (verified.has(pathName)) return true;
      try {
        if (!realpathSync(join(root, pathName)).startsWith(root + sep)) return false;
      } catch {
        return false;
      }
      verified.add(pathName);
      return true;
    },
    // Hashed names change whenever the bytes do, so a returning visitor never revalidates them.
    setHeaders: (reply) => {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
}

export const staticAssets = fp(staticAssetsPlugin, { name: '@composable-svelte/static-assets', fastify: '5.x' });
