import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../errors/http-error.js';
import { wantsJsonError } from '../../errors/error-response.js';
import type { AccountRecovery } from './account-recovery.js';
import { defaultResetFormPage, type ResetFormContext } from './reset-form-page.js';

export interface RecoveryRoutesOptions {
  readonly recovery: AccountRecovery;
  /** Where form submissions land; query strings let the page say what happened. */
  readonly pages?: {
    /** After POST /password/forgot; default `/login?reset=sent`. */
    readonly afterForgot?: string;
    /** After POST /password/reset; default `/login?reset=done`. */
    readonly afterReset?: string;
    /** After GET /verify-email; default `/?email=verified`. */
    readonly afterVerify?: string;
  };
  /**
   * Answers a browser with the "choose a new password" form: on GET /password/reset with a live
   * link (status 200), and again when the POSTed password is refused (400, with `problem`). The
   * default sends the built-in plain page; an app shows its own, e.g. with
   * `(request, reply, form) => fastify.renderPage(request, reply, form.status)`.
   */
  readonly showResetForm?: (request: FastifyRequest, reply: FastifyReply, form: ResetFormContext) => unknown;
  /** Per-IP limit on each of these routes; default 10 a minute. false: only the global limit. */
  readonly rateLimit?: { readonly max: number; readonly timeWindow: number } | false;
}

const FORM = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const PRIVATE = 'private, no-store';

/**
 * The routes behind the mails: `POST /password/forgot`, `GET|POST /password/reset`,
 * `GET /verify-email`. Each answers JSON to API clients and redirects (303) or renders a page for
 * forms and browsers. The token travels in the query string of a link, so these pages are private,
 * never cached, and send no Referer that could carry it elsewhere.
 */
export async function recoveryRoutes(fastify: FastifyInstance, options: RecoveryRoutesOptions): Promise<void> {
  const { recovery } = options;
  const afterForgot = options.pages?.afterForgot ?? '/login?reset=sent';
  const afterReset = options.pages?.afterReset ?? '/login?reset=done';
  const afterVerify = options.pages?.afterVerify ?? '/?email=verified';
  const showForm =
    options.showResetForm ??
    ((_request: FastifyRequest, reply: FastifyReply, form: ResetFormContext) =>
      reply.code(form.status).type('text/html; charset=utf-8').send(defaultResetFormPage(form)));
  const limit = options.rateLimit === false ? {} : { rateLimit: options.rateLimit ?? { max: 10, timeWindow: 60_000 } };
  const config: FastifyContextConfig = { ...limit, cacheControl: PRIVATE };

  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url?.startsWith('/password/') || request.routeOptions.url === '/verify-email')
      reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  const isForm = (request: FastifyRequest) => FORM.test(request.headers['content-type'] ?? '');
  const field = (request: FastifyRequest, name: string): string => {
    const value = (request.body as Record<string, unknown> | undefined)?.[name];
    if (typeof value !== 'string' || value === '')
      throw new HttpError(400, 'MISSING_FIELD', `The ${name} field is missing: send it as a string.`);
    return value;
  };
  const csrfToken = (reply: FastifyReply) =>
    typeof reply.generateCsrf === 'function' ? reply.generateCsrf() : undefined;

  fastify.post('/password/forgot', { config }, async (request, reply) => {
    await recovery.requestPasswordReset(field(request, 'email'), { ip: request.ip });
    if (isForm(request)) return reply.redirect(afterForgot, 303);
    return reply.code(202).send({
      message: 'If an account uses this address, a link to reset its password is on its way.',
    });
  });

  fastify.get<{ Querystring: { token?: unknown } }>('/password/reset', { config }, async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    if (!(await recovery.resetTokenIsLive(token)))
      throw new HttpError(
        400,
        'INVALID_TOKEN',
        'This password reset link is invalid, has expired, or was already used. Ask for a new one.',
      );
    if (wantsJsonError(request)) return { valid: true };
    return showForm(request, reply, { status: 200, token, csrfToken: csrfToken(reply) });
  });

  fastify.post('/password/reset', { config }, async (request, reply) => {
    const token = field(request, 'token');
    try {
      await recovery.resetPassword(token, field(request, 'password'), { ip: request.ip });
    } catch (error) {
      // A refused password re-shows the form with the reason; the link still works.
      if (error instanceof HttpError && error.code === 'PASSWORD_REJECTED' && isForm(request))
        return showForm(request, reply, { status: 400, token, csrfToken: csrfToken(reply), problem: error.message });
      throw error;
    }
    if (isForm(request)) return reply.redirect(afterReset, 303);
    return { message: 'Your password was changed and every session was signed out. Sign in with the new password.' };
  });

  fastify.get<{ Querystring: { token?: unknown } }>('/verify-email', { config }, async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : '';
    await recovery.verifyEmail(token, { ip: request.ip });
    if (wantsJsonError(request)) return { verified: true };
    // The page it lands on says so (with the auth plugin's flash); the query alone said nothing.
    fastify.auth?.setFlash(reply, { kind: 'success', text: 'Your e-mail address is verified.' });
    return reply.redirect(afterVerify, 303);
  });
}
