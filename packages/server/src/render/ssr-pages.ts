import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PageRenderer } from './page-renderer.js';

export interface SsrPagesOptions {
  readonly renderer: PageRenderer;
}

/** Every GET (and HEAD) not claimed by another route is a page of the app. */
async function ssrPagesPlugin(fastify: FastifyInstance, { renderer }: SsrPagesOptions): Promise<void> {
  fastify.get('/*', (request, reply) => renderer.handle(request, reply));
}

export const ssrPages = fp(ssrPagesPlugin, { name: '@composable-svelte/ssr-pages', fastify: '5.x' });
