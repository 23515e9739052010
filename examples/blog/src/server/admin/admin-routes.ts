import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { HttpError } from '@composable-svelte/server';
import type { Jobs } from '@composable-svelte/server/jobs';
import { badRequest, conflict, notFound, wantsJsonError } from '@composable-svelte/server/errors';
import { isRole, ROLES } from '../../shared/admin.js';
import en from '../../shared/i18n/en-member.js';
import { postId as idParam } from '../api-routes.js';
import type { AccountDirectory } from '../db/account-directory.js';
import type { CommentModeration } from '../db/comment-moderation.js';
import { refusedForms, showing, shownMessage } from '../form-outcome.js';
import { invalidatePostPages } from '../post-pages.js';
import { requestMessages } from '../request-messages.js';
import type { AdminData } from './admin-data.js';

const CommentParams = Type.Object({ commentId: Type.String({ minLength: 1, maxLength: 32 }) });
const QueueParams = Type.Object({ queue: Type.String({ minLength: 1, maxLength: 200 }) });
const Csrf = { _csrf: Type.Optional(Type.String({ maxLength: 200 })) };
// Posted to the users page itself, so a refused change is that page again with why (and its status).
const RolesForm = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 32 }),
  // One checkbox checked is a string, several an array (form encoding); none, absent.
  roles: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }))])),
  ...Csrf,
});
// pg-boss's job ids are UUIDs: anything else is refused here, not by the database.
const RetryForm = Type.Object({
  id: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' }),
  ...Csrf,
});

function decodeId(name: string, raw: string, where: 'params' | 'body' = 'params'): number {
  const decoded = idParam.decode(raw);
  if (!decoded.ok) {
    throw badRequest(`Invalid ${where}.${name}: ${decoded.message}`, {
      details: [{ path: `${where}.${name}`, message: decoded.message }],
    });
  }
  return decoded.value;
}

export interface AdminRoutesOptions {
  readonly moderation: CommentModeration;
  readonly accounts: AccountDirectory;
  readonly data: AdminData;
  /** The blog's jobs, undefined while it runs none. */
  readonly jobs: () => Jobs | undefined;
}

/**
 * The `/admin` area's JSON (what the pages load in the browser) and its forms (POST, then 303 back
 * with a message), all for the `admin` role: signed out → the sign-in page (401 as JSON), anyone
 * else → 403. Every answer is the viewer's own: `private, no-store`.
 */
export async function adminRoutes(fastify: FastifyInstance, { moderation, accounts, data, jobs }: AdminRoutesOptions) {
  const auth = fastify.auth;
  if (!auth) throw new Error('adminRoutes needs the auth plugin (createServer({ auth }))');
  const rateLimit = { max: fastify.config.rateLimit.formMax, timeWindow: fastify.config.rateLimit.windowMs };
  const config = { auth: { roles: ['admin'] } };

  fastify.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'private, no-store');
  });

  fastify.get('/api/admin/comments', { config }, async () => ({ comments: await data.comments() }));
  fastify.get('/api/admin/users', { config }, async () => ({ users: await data.users() }));
  fastify.get('/api/admin/jobs', { config }, async () => data.jobs());

  const done = (reply: FastifyReply, to: string, text: string) => {
    auth.setFlash(reply, { kind: 'success', text });
    return reply.redirect(to, 303);
  };

  for (const [action, hidden] of [
    ['hide', true],
    ['show', false],
  ] as const) {
    fastify.post<{ Params: Static<typeof CommentParams> }>(
      `/admin/comments/:commentId/${action}`,
      { schema: { params: CommentParams, body: Type.Object(Csrf) }, config: { ...config, rateLimit } },
      async (request, reply) => {
        const commentId = decodeId('commentId', request.params.commentId);
        const viewer = request.principal!.viewer;
        const changed = hidden ? await moderation.hide(commentId, viewer.id) : await moderation.show(commentId);
        if (!changed) throw notFound(`There is no comment ${commentId}.`);
        await auth.audit(request, {
          type: hidden ? 'comment.hide' : 'comment.show',
          actorId: viewer.id,
          details: { postId: changed.postId, commentId },
        });
        await invalidatePostPages(fastify, changed.postId);
        const t = requestMessages(request);
        return done(reply, '/admin', hidden ? t.commentHidden : t.commentShownAgain);
      },
    );
  }

  /** A refused form: the page again with why (a browser), or the JSON error. */
  const refuse = (request: FastifyRequest, reply: FastifyReply, error: HttpError) => {
    if (wantsJsonError(request)) throw error;
    refusedForms.set(request, { message: shownMessage(error) });
    return fastify.renderPage(request, reply, error.statusCode);
  };

  fastify.post<{ Body: Static<typeof RolesForm> }>(
    '/admin/users',
    { schema: { body: RolesForm }, config: { ...config, rateLimit } },
    async (request, reply) => {
      const userId = decodeId('userId', request.body.userId, 'body');
      const t = requestMessages(request);
      const asked = [...new Set([request.body.roles ?? []].flat())].sort();
      const unknown = asked.find((role) => !isRole(role));
      if (unknown !== undefined) {
        return refuse(request, reply, showing(badRequest(en.notARole(unknown, ROLES)), t.notARole(unknown, ROLES)));
      }
      const roles = asked.filter(isRole);
      const before = await accounts.userRoles(userId);
      if (!before) throw notFound(`There is no user ${userId}.`);
      const demotes = before.includes('admin') && !roles.includes('admin');
      const lastAdmin = () => showing(conflict(en.lastAdmin), t.lastAdmin);
      if (demotes && (await accounts.adminCount()) <= 1) return refuse(request, reply, lastAdmin());
      await auth.setRoles(request, reply, userId, roles);
      // Two admins demoting each other at once both pass the check above: whoever finds no admin
      // left afterwards puts the roles back, so the blog always keeps one.
      if (demotes && (await accounts.adminCount()) === 0) {
        await auth.setRoles(request, reply, userId, before);
        return refuse(request, reply, lastAdmin());
      }
      return done(reply, '/admin/users', t.rolesChanged(roles));
    },
  );

  fastify.post<{ Params: Static<typeof QueueParams>; Body: Static<typeof RetryForm> }>(
    '/admin/jobs/:queue/retry',
    { schema: { params: QueueParams, body: RetryForm }, config: { ...config, rateLimit } },
    async (request, reply) => {
      const { queue } = request.params;
      const running = jobs();
      if (!running || !(await running.queues()).some((summary) => summary.queue === queue)) {
        throw notFound(`There is no job queue "${queue}".`);
      }
      const retried = await running.retryDeadLetters(queue, { ids: [request.body.id] });
      if (retried === 0) throw notFound(`Queue "${queue}" has no failed job ${request.body.id} to retry.`);
      await auth.audit(request, {
        type: 'job.retry',
        actorId: request.principal!.viewer.id,
        details: { queue, deadLetterId: request.body.id },
      });
      return done(reply, '/admin/jobs', requestMessages(request).jobRetried(queue));
    },
  );
}
