import { param } from '@composable-svelte/core/routing';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PostsRepository } from '../shared/model.js';
import { CommentsResponse, PostIdParams, PostListResponse, PostResponse } from './api-schemas.js';

/** The post id in API and form paths: what the page routes accept, with their words for what is wrong. */
export const postId = param.int({ min: 1, max: 1_000_000_000 });

function badRequest(reply: FastifyReply, requestId: string, path: string, message: string) {
  return reply.code(400).send({
    error: {
      status: 400,
      code: 'BAD_REQUEST',
      message: `Invalid ${path}: ${message}`,
      requestId,
      details: [{ path, message }],
    },
  });
}

function notFound(reply: FastifyReply, requestId: string, id: number) {
  return reply
    .code(404)
    .send({ error: { status: 404, code: 'NOT_FOUND', message: `Post ${id} does not exist`, requestId } });
}

/**
 * The JSON the browser's effects load. TypeBox schemas check the shape of the input and serialize
 * the responses; the id's meaning (a canonical integer in range) is decided by the same decoder the
 * page routes use, so `/posts/03` and `/api/posts/03` are rejected with the same words.
 */
export function apiRoutes(repository: PostsRepository) {
  return async function api(fastify: FastifyInstance): Promise<void> {
    await fastify.register(
      async (plain) => {
        const scoped = plain.withTypeProvider<TypeBoxTypeProvider>();
        scoped.get('/posts', { schema: { response: { 200: PostListResponse } } }, async () => ({
          posts: [...(await repository.listPosts())],
        }));

        scoped.get(
          '/posts/:id',
          { schema: { params: PostIdParams, response: { 200: PostResponse } } },
          async (request, reply) => {
            const id = postId.decode(request.params.id);
            if (!id.ok) return badRequest(reply, request.id, 'params.id', id.message);
            const post = await repository.getPost(id.value);
            return post ? { post } : notFound(reply, request.id, id.value);
          },
        );

        scoped.get(
          '/posts/:id/comments',
          { schema: { params: PostIdParams, response: { 200: CommentsResponse } } },
          async (request, reply) => {
            const id = postId.decode(request.params.id);
            if (!id.ok) return badRequest(reply, request.id, 'params.id', id.message);
            const comments = await repository.listComments(id.value);
            return comments ? { comments: [...comments] } : notFound(reply, request.id, id.value);
          },
        );

        // Claims the whole /api prefix, so an unknown API path is JSON, never an HTML page.
        const apiNotFound = (request: FastifyRequest, reply: FastifyReply) =>
          reply.code(404).send({
            error: {
              status: 404,
              code: 'NOT_FOUND',
              message: `No API route for ${request.method} ${request.url.split('?')[0]}`,
              requestId: request.id,
            },
          });
        scoped.all('/', apiNotFound);
        scoped.all('/*', apiNotFound);
      },
      { prefix: '/api' },
    );
  };
}
