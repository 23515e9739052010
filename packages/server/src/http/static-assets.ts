import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface StaticAssetsOptions {
  /** Directory of hashed build output, e.g. dist/client/assets. */
  readonly root: string;
  /** URL prefix, e.g. /assets/. */
  readonly prefix?: string;
}

/**
 * Hashed client assets. Their names change whenever their bytes do, so they are cached for a year
 * and marked immutable: a returning visitor never revalidates them.
 */
async function staticAssetsPlugin(fastify: FastifyInstance, options: StaticAssetsOptions): Promise<void> {
    await fastify.register(fastifyStatic, {
      root: options.root,
      prefix: options.prefix ?? '/assets/',
      decorateReply: false,
      serveDotFiles: false,
      index: false,
      list: false,
      cacheControl: false,
      setHeaders: (reply) => {
        reply.header('cache-control', 'public, max-age=31536000, immutable');
      },
    });
}

export const staticAssets = fp(staticAssetsPlugin, { name: '@composable-svelte/static-assets', fastify: '5.x' });
