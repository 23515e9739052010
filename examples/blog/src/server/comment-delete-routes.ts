import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '@composable-svelte/server';
import { safeNext } from '@composable-svelte/server/auth';
import { badRequest, forbidden } from '@composable-svelte/server/errors';
import { isAdmin } from '../shared/admin.js';
import { postId as idParam } from './api-routes.js';
import type { CommentModeration } from './db/comment-moderation.js';
import { invalidatePostPages } from './post-pages.js';
import { requestMessages } from './request-messages.js';

const CommentParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 32 }), commentId: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);
const DeleteForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  /** Where the browser goes back to (same origin only): the admin page sends `/admin`. */
  next: Type.Optional(Type.String({ maxLength: 2000 })),
});

type DeleteRequest = FastifyRequest<{ Params: Static<typeof CommentParams> }>;

function decodeParam(name: string, raw: string): number {
  const decoded = idParam.decode(raw);
  if (!decoded.ok) {
    throw badRequest(`Invalid params.${name}: ${decoded.message}`, {
      details: [{ path: `params.${name}`, message: decoded.message }],
    });
  }
  return decoded.value;
}

/**
 * A comment's author deletes it; an admin deletes anyone's. Deleting removes the row for good (the
 * author withdrew their words: nothing of them is kept), and the post's comment_count with it, in
 * one transaction. A moderator who wants the comment kept for review hides it instead (admin
 * routes). Signed out: 401 (API) or the sign-in page (form); someone else's comment: 403.
 */
export function commentDeleteRoutes(moderation: CommentModeration) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    const rateLimit = { max: fastify.config.rateLimit.formMax, timeWindow: fastify.config.rateLimit.windowMs };
    const config = { rateLimit, auth: 'required' as const };

    const remove = async (request: DeleteRequest): Promise<number> => {
      const postId = decodeParam('id', request.params.id);
      const commentId = decodeParam('commentId', request.params.commentId);
      const viewer = request.principal!.viewer;
      const comment = await moderation.find(postId, commentId);
      if (!comment) throw new HttpError(404, 'NOT_FOUND', `Post ${postId} has no comment ${commentId}.`);
      const own = comment.userId === viewer.id;
      if (!own && !isAdmin(viewer)) throw forbidden('You can only delete your own comments.');
      // Gone meanwhile (a second click, another moderator): the answer is what a later request gets.
      if (!(await moderation.delete(postId, commentId))) {
        throw new HttpError(404, 'NOT_FOUND', `Post ${postId} has no comment ${commentId}.`);
      }
      if (!own) {
        await fastify.auth?.audit(request, {
          type: 'comment.delete',
          userId: comment.userId,
          actorId: viewer.id,
          details: { postId, commentId },
        });
      }
      await invalidatePostPages(fastify, postId);
      return postId;
    };

    fastify.delete<{ Params: Static<typeof CommentParams> }>(
      '/api/posts/:id/comments/:commentId',
      { schema: { params: CommentParams }, config },
      async (request, reply) => {
        await remove(request);
        return reply.code(204).send();
      },
    );

    fastify.post<{ Params: Static<typeof CommentParams>; Body: Static<typeof DeleteForm> }>(
      '/posts/:id/comments/:commentId/delete',
      { schema: { params: CommentParams, body: DeleteForm }, config },
      async (request, reply) => {
        const postId = await remove(request);
        fastify.auth?.setFlash(reply, { kind: 'success', text: requestMessages(request).commentDeleted });
        return reply.redirect(safeNext(request.body.next, `/posts/${postId}/comments`), 303);
      },
    );
  };
}
