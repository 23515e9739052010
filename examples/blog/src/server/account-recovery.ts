import type { FastifyInstance } from 'fastify';
import {
  createAccountRecovery,
  RECOVERY_MAIL_JOB,
  recoveryRoutes,
  type AccountRecovery,
} from '@composable-svelte/server/auth';
import { createMailer } from '@composable-svelte/server/mail';
import { accountAuditSink } from './account-audit.js';
import type { BlogJobs } from './blog-jobs.js';
import { refusedForms } from './form-outcome.js';

/**
 * Password reset and e-mail verification by mailed links (the framework's recovery routes:
 * `POST /password/forgot`, `GET|POST /password/reset`, `GET /verify-email`), whose form page is the
 * blog's ResetPassword page. Mail goes through
 * SMTP_URL, else as .eml files to MAIL_DIR, through a job that retries while the mail server is
 * down. A reset ends every session and token sign-in.
 */
export async function accountRecovery(fastify: FastifyInstance, jobs: BlogJobs): Promise<AccountRecovery> {
  const auth = fastify.auth;
  const database = fastify.database;
  if (!auth || !database) throw new Error('accountRecovery needs the auth plugin and an open database');
  const config = fastify.config;
  const recovery = createAccountRecovery({
    db: database.db,
    mailer: createMailer(config),
    publicUrl: config.publicUrl,
    siteName: 'Field Notes',
    hashPassword: auth.hashPassword,
    revokeAllSessions: async (userId) => {
      await auth.revokeAllSessions(userId, 'password-reset');
    },
    // The same strength rule as sign-up and password change, with the account's own words counted against it.
    checkPassword: (password, user) => {
      const strength = auth.checkPasswordStrength(password, [user.email, user.name]);
      return strength.ok ? undefined : strength.problems.join(' ');
    },
    audit: accountAuditSink(auth),
    log: fastify.log,
    resetTtlMs: config.mail.resetTtlMs,
    verificationTtlMs: config.mail.verificationTtlMs,
    perAddressMax: config.mail.perAddressMax,
    ...(fastify.redis ? { redis: fastify.redis } : {}),
    queue: (request) => jobs.enqueue(RECOVERY_MAIL_JOB, request),
  });
  fastify.addHook('onClose', () => recovery.close());
  await fastify.register(recoveryRoutes, {
    recovery,
    // The link's form is the blog's own page (its layout, the password hint); a refused password
    // shows it again with why, as the sign-up form does.
    showResetForm: (request, reply, form) => {
      if (form.problem !== undefined) refusedForms.set(request, { message: form.problem });
      return fastify.renderPage(request, reply, form.status);
    },
  });
  return recovery;
}
