import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '@composable-svelte/server';
import { safeNext, TooManyAttemptsError, type AccountRecovery } from '@composable-svelte/server/auth';
import { badRequest, wantsJsonError } from '@composable-svelte/server/errors';
import { AUTHOR_MAX } from '../shared/comment.js';
import en from '../shared/i18n/en-member.js';
import { refusedForms, showing, shownMessage, type RefusedForm } from './form-outcome.js';
import { requestMessages } from './request-messages.js';
import { sessionSummaries } from './session-summaries.js';

const field = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const SignUpBody = Type.Object({ name: field(400), email: field(400), password: field(1024), _csrf: field(200) });
const LogInBody = Type.Object({ email: field(400), password: field(1024), _csrf: field(200) });
const PasswordBody = Type.Object({ currentPassword: field(1024), newPassword: field(1024), _csrf: field(200) });
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });

/**
 * Sign-up, sign-in, sign-out and the account page's forms: plain HTML forms that work without
 * JavaScript (POST, then 303 to a page). A refused form is the page again with the reason and the
 * status (401 for a failed sign-in, one message whatever failed); API clients get the JSON error.
 * CSRF is checked by the framework before any handler runs.
 */
export async function accountRoutes(
  fastify: FastifyInstance,
  { recovery }: { readonly recovery: AccountRecovery },
): Promise<void> {
  const auth = fastify.auth;
  if (!auth) throw new Error('accountRoutes needs the auth plugin (createServer({ auth }))');

  const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown, form: Omit<RefusedForm, 'message'>) => {
    if (!(error instanceof HttpError) || error.statusCode >= 500 || wantsJsonError(request)) throw error;
    if (error instanceof TooManyAttemptsError) reply.header('retry-after', String(error.retryAfterSeconds));
    refusedForms.set(request, { message: shownMessage(error), ...form });
    return fastify.renderPage(request, reply, error.statusCode);
  };

  fastify.post<{ Body: Static<typeof SignUpBody>; Querystring: Static<typeof NextQuery> }>(
    '/signup',
    { schema: { body: SignUpBody, querystring: NextQuery } },
    async (request, reply) => {
      const { name = '', email = '', password = '' } = request.body;
      let viewer;
      try {
        // The blog's own rule on top of the framework's: a name must fit where comments show it.
        if (name.trim().length > AUTHOR_MAX)
          throw showing(
            badRequest(en.nameTooLong(AUTHOR_MAX), { details: { field: 'name' } }),
            requestMessages(request).nameTooLong(AUTHOR_MAX),
          );
        viewer = await auth.signUp(request, reply, { name, email, password });
      } catch (error) {
        return refuse(request, reply, error, { name, email });
      }
      // Mailed in the background: the answer does not wait on the mail server.
      await recovery.sendVerification(viewer.id, { ip: request.ip });
      auth.setFlash(reply, { kind: 'success', text: requestMessages(request).welcome(viewer.name) });
      return reply.redirect(safeNext(request.query.next), 303);
    },
  );

  fastify.post<{ Body: Static<typeof LogInBody>; Querystring: Static<typeof NextQuery> }>(
    '/login',
    { schema: { body: LogInBody, querystring: NextQuery } },
    async (request, reply) => {
      const { email = '', password = '' } = request.body;
      try {
        await auth.logIn(request, reply, { email, password });
      } catch (error) {
        return refuse(request, reply, error, { email });
      }
      return reply.redirect(safeNext(request.query.next), 303);
    },
  );

  fastify.post('/logout', async (request, reply) => {
    await auth.logOut(request, reply);
    return reply.redirect('/', 303);
  });

  fastify.post('/account/sign-out-everywhere', { config: { auth: 'required' } }, async (request, reply) => {
    await auth.signOutEverywhere(request, reply);
    auth.setFlash(reply, { kind: 'info', text: requestMessages(request).signedOutEverywhere });
    return reply.redirect('/login', 303);
  });

  fastify.post<{ Body: Static<typeof PasswordBody> }>(
    '/account',
    { schema: { body: PasswordBody }, config: { auth: 'required' } },
    async (request, reply) => {
      const { currentPassword = '', newPassword = '' } = request.body;
      try {
        await auth.changePassword(request, reply, { currentPassword, newPassword });
      } catch (error) {
        return refuse(request, reply, error, {});
      }
      auth.setFlash(reply, { kind: 'success', text: requestMessages(request).passwordChanged });
      return reply.redirect('/account', 303);
    },
  );

  fastify.get('/api/account/sessions', { config: { auth: 'required' } }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    return { sessions: sessionSummaries(await auth.listSessions(request)) };
  });
}
