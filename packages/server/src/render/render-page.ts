import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PageRenderer } from './page-renderer.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Renders and sends the app's page for this request's URL, as a GET would (never cached): for a
     * form handler whose input was refused, so a browser without JavaScript gets the form again,
     * with what `load` reads from the request, and `status` (e.g. 400 or 401) instead of 200.
     */
    renderPage(request: FastifyRequest, reply: FastifyReply, status?: number): Promise<FastifyReply>;
  }
}

async function renderPagePlugin(fastify: FastifyInstance, { renderer }: { renderer: PageRenderer }): Promise<void> {
  fastify.decorate('renderPage', async (request: FastifyRequest, reply: FastifyReply, status?: number) => {
    const page = await renderer.render(request, reply);
    return renderer.send(reply, status !== undefined && page.status === 200 ? { ...page, status } : page);
  });
}

/** `fastify.renderPage`, registered at the root so form routes in any context can answer with a page. */
export const renderPage = fp(renderPagePlugin, { name: '@composable-svelte/render-page', fastify: '5.x' });
