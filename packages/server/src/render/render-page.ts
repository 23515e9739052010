import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PageRenderer } from './page-renderer.js';

async function renderPagePlugin(fastify: FastifyInstance, { renderer }: { renderer: PageRenderer }): Promise<void> {
  fastify.decorate('renderPage', async (request: FastifyRequest, reply: FastifyReply, status?: number) => {
    const page = await renderer.render(request, reply);
    return renderer.send(reply, status !== undefined && page.status === 200 ? { ...page, status } : page);
  });
}

/** `fastify.renderPage` (typed where createServer is, so every app sees it), registered at the root so form routes in any context can answer with a page. */
export const renderPage = fp(renderPagePlugin, { name: '@composable-svelte/render-page', fastify: '5.x' });
