import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '@composable-svelte/server';
import { badRequest } from '@composable-svelte/server/errors';
import { ApiError } from '../shared/api.js';
import type { PostsRepository } from '../shared/model.js';
import { postId } from './api-routes.js';
import { CommentBody, CommentResponse, PostIdParams } from './api-schemas.js';
import { invalidatePostPages } from './post-pages.js';
import { createRepositoryApi } from './repository-api.js';
import type { SubscriptionsRepository } from './subscriptions-repository.js';

type CommentRequest = FastifyRequest<{ Params: Static<typeof PostIdParams>; Body: Static<typeof CommentBody> }>;

/**
 * Who wrote the comment: the signed-in viewer's name when the blog has accounts (whatever the body
 * says), else the name the reader typed (a blog on in-memory storage, for tests and benchmarks).
 */
function commentAuthor(request: CommentRequest): string {
  return request.principal?.viewer.name ?? request.body.author ?? '';
}

/**
 * Readers' comments, two ways in: a script posts JSON to the API and reads the comment back; a
 * browser without JavaScript posts the form and is redirected to the comment (POST/redirect/GET).
 * CSRF is checked by the framework before the handler runs. The cached pages the comment changes
 * are invalidated after the write commits and before the answer leaves, so whoever got the answer
 * never loads a page without the comment. The `comment.created` outbox event invalidates them
 * again, but after the commit on its own schedule (possibly on another instance): only this
 * synchronous step is ordered before the answer.
 */
export function commentRoutes(posts: PostsRepository, subscriptions: SubscriptionsRepository, accounts = false) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const rateLimit = { max: fastify.config.rateLimit.formMax, timeWindow: fastify.config.rateLimit.windowMs };
    // With accounts only signed-in readers comment: anonymous → 401 (API) or the sign-in page (form).
    const auth = accounts ? { auth: 'required' as const } : {};

    const create = async (request: CommentRequest, reply: FastifyReply) => {
      const id = postId.decode(request.params.id);
      if (!id.ok) {
        throw badRequest(`Invalid params.id: ${id.message}`, { details: [{ path: 'params.id', message: id.message }] });
      }
      const api = createRepositoryApi({
        posts,
        subscriptions,
        log: request.log,
        csrfToken: () => reply.generateCsrf(),
        ...(request.principal ? { viewerId: request.principal.viewer.id } : {}),
      });
      try {
        const comment = await api.addComment(
          id.value,
          { author: commentAuthor(request), body: request.body.body, csrfToken: '' },
          new AbortController().signal,
        );
        await invalidatePostPages(fastify, id.value);
        return comment;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        const details = Object.entries(error.fieldErrors).map(([field, message]) => ({
          path: `body.${field}`,
          message,
        }));
        if (error.status === 400)
          throw badRequest(details.map((d) => d.message).join(' ') || error.message, { details });
        if (error.status === 404) throw new HttpError(404, 'NOT_FOUND', error.message);
        throw new HttpError(error.status, 'COMMENT_FAILED', error.message);
      }
    };

    fastify.post<{ Params: Static<typeof PostIdParams>; Body: Static<typeof CommentBody> }>(
      '/api/posts/:id/comments',
      {
        schema: { params: PostIdParams, body: CommentBody, response: { 201: CommentResponse } },
        config: { rateLimit, ...auth },
      },
      async (request, reply) => {
        const comment = await create(request, reply);
        return reply.code(201).send({ comment });
      },
    );

    fastify.post<{ Params: Static<typeof PostIdParams>; Body: Static<typeof CommentBody> }>(
      '/posts/:id/comments',
      { schema: { params: PostIdParams, body: CommentBody }, config: { rateLimit, ...auth } },
      async (request, reply) => {
        const comment = await create(request, reply);
        return reply.redirect(`/posts/${comment.postId}/comments#comment-${comment.id}`, 303);
      },
    );
  };
}
