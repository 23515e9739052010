import { param } from '@composable-svelte/core/routing';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PostsRepository } from '../shared/model.js';

const postId = param.int({ min: 1, max: 1_000_000_000 });

function badRequest(reply: FastifyReply, requestId: string, path: string, message: string) {
  return reply.code(400).send({
    error: { status: 400, code: 'BAD_REQUEST', message: `Invalid ${path}: ${message}`, requestId, details: [{ path, message }] },
  });
}

function notFound(reply: FastifyReply, requestId: string, id: number) {
  return reply.code(404).send({ error: { status: 404, code: 'NOT_FOUND', message: `Post ${id} does not exist`, requestId } });
}

/**
 * The JSON the browser's effects load. Ids are decoded with the same decoder the page routes use,
 * so `/posts/03` and `/api/posts/03` are rejected alike.
 */
export function apiRoutes(repository: PostsRepository) {
  return async function api(fastify: FastifyInstance): Promise<void> {
    await fastify.register(
      async (scoped) => {
        scoped.get('/posts', async () => ({ posts: await repository.listPosts() }));

        scoped.get<{ Params: { id: string } }>('/posts/:id', async (request, reply) => {
          const id = postId.decode(request.params.id);
          if (!id.ok) return badRequest(reply, request.id, 'params.id', id.message);
          const post = await repository.getPost(id.value);
          return post ? { post } : notFound(reply, request.id, id.value);
        });

        scoped.get<{ Params: { id: string } }>('/posts/:id/comments', async (request, reply) => {
          const id = postId.decode(request.params.id);
          if (!id.ok) return badRequest(reply, request.id, 'params.id', id.message);
          const comments = await repository.listComments(id.value);
          return comments ? { comments } : notFound(reply, request.id, id.value);
        });

        // Claims the whole /api prefix, so an unknown API path is JSON, never an HTML page.
        const apiNotFound = (request: FastifyRequest, reply: FastifyReply) =>
          reply.code(404).send({
            error: { status: 404, code: 'NOT_FOUND', message: `No API route for ${request.method} ${request.url.split('?')[0]}`, requestId: request.id },
          });
        scoped.all('/', apiNotFound);
        scoped.all('/*', apiNotFound);
      },
      { prefix: '/api' },
    );
  };
}
