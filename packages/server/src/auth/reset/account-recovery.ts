import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '../../db/open-database.js';
import { HttpError } from '../../errors/http-error.js';
import type { Mailer } from '../../mail/mailer.js';
import { createRedisSlidingWindowLimiter } from '../../security/rate-limit/redis-sliding-window.js';
import { createSlidingWindowLimiter } from '../../security/rate-limit/sliding-window.js';
import type { AuditSink } from '../oauth/audit-event.js';
import { users } from '../schema.js';
import { consumeEmailToken, issueEmailToken, peekEmailToken } from './email-tokens.js';
import { defaultRecoveryMails, type RecoveryMails } from './recovery-mail.js';
import type { EmailTokenPurpose } from './schema.js';

/** One mail to send: which link, for which account. No token and no address: both are read when it is sent. */
export interface RecoveryMailRequest {
  readonly purpose: EmailTokenPurpose;
  readonly userId: number;
}

export interface AccountRecoveryOptions {
  readonly db: Db<Record<string, unknown>>;
  readonly mailer: Mailer;
  /** PUBLIC_URL: the links in the mails point there. */
  readonly publicUrl: string;
  /** Argon2id, from the password module. */
  readonly hashPassword: (password: string) => Promise<string>;
  /** Ends every session of the user: a reset must lock out whoever knew the old password. */
  readonly revokeAllSessions: (userId: number) => Promise<void>;
  /**
   * What is wrong with a new password (the strength check), or undefined when it is acceptable.
   * Lengths outside 8–128 (NIST SP 800-63B) are refused before it is asked.
   */
  readonly checkPassword?: (
    password: string,
    user: { readonly email: string; readonly name: string },
  ) => string | undefined | Promise<string | undefined>;
  readonly audit?: AuditSink;
  readonly log?: Pick<FastifyBaseLogger, 'warn' | 'error'>;
  /** PASSWORD_RESET_TTL_MS; default 30 minutes. */
  readonly resetTtlMs?: number;
  /** EMAIL_VERIFICATION_TTL_MS; default 24 hours. */
  readonly verificationTtlMs?: number;
  /** MAIL_PER_ADDRESS_MAX: mails to one address per hour; default 5. */
  readonly perAddressMax?: number;
  /** Shares the per-address count across instances. */
  readonly redis?: Redis;
  /** The site's name in the mails; default PUBLIC_URL's host. */
  readonly siteName?: string;
  readonly mails?: RecoveryMails;
  /**
   * Hands each mail to a durable queue instead of sending it from this process: the queue's worker
   * calls `deliverMail(request)` and retries it while the mail server is down (`recoveryMailJob`
   * from this module, enqueued with `jobs.enqueue`). Without it, mails are sent in the background
   * here and a failure is only logged.
   */
  readonly queue?: (request: RecoveryMailRequest) => Promise<unknown>;
}

export interface RequestContext {
  readonly ip?: string;
}

export interface AccountRecovery {
  /**
   * Mails a reset link when an account uses `email`. Resolves the same way, at about the same
   * time, whether or not one does: the mail is sent in the background, so neither the answer nor
   * its timing says which addresses have accounts.
   */
  requestPasswordReset(email: string, context?: RequestContext): Promise<void>;
  /** Sets the password, uses the token up, signs the account out everywhere. 400 for a bad token or password. */
  resetPassword(token: string, password: string, context?: RequestContext): Promise<{ readonly userId: number }>;
  /** Whether a reset link still works (without using it up). */
  resetTokenIsLive(token: string): Promise<boolean>;
  /** Mails a verification link to the account's current address (nothing when it is verified). */
  sendVerification(userId: number, context?: RequestContext): Promise<void>;
  /** Marks the address verified; 400 for a bad token or an address the account no longer uses. */
  verifyEmail(token: string, context?: RequestContext): Promise<{ readonly userId: number }>;
  /**
   * Issues the link and sends the mail now, rejecting when the mail server does (what a queue's
   * worker calls, so a failure is retried). Resolves false when there is nothing to send any more:
   * the account is gone, or its address was verified meanwhile.
   */
  deliverMail(request: RecoveryMailRequest): Promise<boolean>;
  /** Resolves when the mails being sent (or handed to the queue) are (or failed, which is logged). */
  idle(): Promise<void>;
  /** Waits for the mails in flight, then stops the per-address limiter's timer. */
  close(): Promise<void>;
}

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 128;
const HOUR_MS = 3_600_000;

/** Password reset and e-mail verification by single-use, hashed, expiring links sent by mail. */
export function createAccountRecovery(options: AccountRecoveryOptions): AccountRecovery {
  const { db, mailer } = options;
  const resetTtlMs = options.resetTtlMs ?? 30 * 60_000;
  const verificationTtlMs = options.verificationTtlMs ?? 24 * HOUR_MS;
  const perAddressMax = options.perAddressMax ?? 5;
  const site = options.siteName ?? new URL(options.publicUrl).host;
  const mails = options.mails ?? defaultRecoveryMails;
  const memoryLimiter = options.redis
    ? undefined
    : createSlidingWindowLimiter({ max: perAddressMax, windowMs: HOUR_MS });
  const limiter =
    memoryLimiter ??
    createRedisSlidingWindowLimiter({
      client: options.redis!,
      max: perAddressMax,
      windowMs: HOUR_MS,
      keyPrefix: 'cs:mail:',
    });
  const inFlight = new Set<Promise<void>>();

  /** Whether another mail may go to this address this hour; keyed by a hash, so Redis holds no addresses. */
  async function mayMail(email: string): Promise<boolean> {
    const key = createHash('sha256').update(email.toLowerCase()).digest('hex');
    try {
      const { allowed } = await limiter.hit(key);
      if (!allowed) options.log?.warn({ perAddressMax }, 'mail to one address over its hourly limit: not sent');
      return allowed;
    } catch (error) {
      // Mail is what the limit protects (the recipient, the sender's reputation): when it cannot be counted, it waits.
      options.log?.error({ err: error }, 'per-address mail limit unavailable: not sent');
      return false;
    }
  }

  /**
   * Runs `send` after the current response has gone out (setImmediate): the embedded database
   * shares this thread, so work started at once would still slow the answer down.
   */
  function deliver(send: () => Promise<unknown>, what: string): void {
    const sending = new Promise<void>((resolve) => setImmediate(resolve)).then(send).then(
      () => undefined,
      (error: unknown) => options.log?.error({ err: error }, `${what} mail could not be sent`),
    );
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
  }

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.all(inFlight);
  }

  const link = (path: string, token: string) => `${options.publicUrl}${path}?token=${token}`;

  async function deliverMail({ purpose, userId }: RecoveryMailRequest): Promise<boolean> {
    const verifying = purpose === 'verify-email';
    const [user] = await db
      .select({ email: users.email })
      .from(users)
      .where(verifying ? and(eq(users.id, userId), isNull(users.emailVerifiedAt)) : eq(users.id, userId));
    if (!user) return false;
    const ttlMs = verifying ? verificationTtlMs : resetTtlMs;
    // A retry issues a new link, which replaces the one whose mail never left.
    const token = await issueEmailToken(db, { userId, email: user.email, purpose, ttlMs });
    const context = {
      site,
      to: user.email,
      link: link(verifying ? '/verify-email' : '/password/reset', token),
      validMinutes: Math.round(ttlMs / 60_000),
    };
    await mailer.send(verifying ? mails.emailVerification(context) : mails.passwordReset(context));
    return true;
  }

  async function userByEmail(email: string) {
    const [user] = await db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`);
    return user;
  }

  return {
    async requestPasswordReset(rawEmail, context = {}) {
      const email = normalizeEmail(rawEmail);
      // Counted whether or not the account exists, so the limit says nothing either.
      const allowed = await mayMail(email);
      const user = await userByEmail(email);
      if (!user || !allowed) return;
      // Issued (or queued) in the background too: the answer must not wait on work only an existing account causes.
      const request: RecoveryMailRequest = { purpose: 'reset-password', userId: user.id };
      deliver(async () => {
        options.audit?.({ type: 'password.reset-requested', userId: user.id, ...ip(context) });
        await (options.queue ? options.queue(request) : deliverMail(request));
      }, 'password reset');
    },

    async resetPassword(token, password, context = {}) {
      const grant = await peekEmailToken(db, token, 'reset-password');
      if (!grant) throw invalidLink('reset');
      const [user] = await db
        .select({ email: users.email, name: users.name })
        .from(users)
        .where(eq(users.id, grant.userId));
      if (!user) throw invalidLink('reset');
      // Checked before the token is used up, so a refused password does not cost the link.
      const problem = await passwordProblem(password, user);
      if (problem) throw new HttpError(400, 'PASSWORD_REJECTED', problem);
      const passwordHash = await options.hashPassword(password);
      const userId = await db.transaction(async (tx) => {
        const used = await consumeEmailToken(tx, token, 'reset-password');
        if (!used) return undefined;
        // Receiving the link proved the address, if it is still the account's.
        const proven = user.email.toLowerCase() === used.email.toLowerCase();
        await tx
          .update(users)
          .set({
            passwordHash,
            updatedAt: new Date(),
            ...(proven ? { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` } : {}),
          })
          .where(eq(users.id, used.userId));
        return used.userId;
      });
      // Another request with the same link won the race.
      if (userId === undefined) throw invalidLink('reset');
      await options.revokeAllSessions(userId);
      options.audit?.({ type: 'password.reset', userId, ...ip(context) });
      return { userId };
    },

    async resetTokenIsLive(token) {
      return (await peekEmailToken(db, token, 'reset-password')) !== undefined;
    },

    async sendVerification(userId, context = {}) {
      const [user] = await db
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
      if (!user || !(await mayMail(user.email))) return;
      options.audit?.({ type: 'email.verification-sent', userId, ...ip(context) });
      const request: RecoveryMailRequest = { purpose: 'verify-email', userId };
      // Queued before the answer (a quick insert), so the mail survives a crash right after it.
      if (options.queue) await options.queue(request);
      else deliver(() => deliverMail(request), 'e-mail verification');
    },

    async verifyEmail(token, context = {}) {
      const grant = await consumeEmailToken(db, token, 'verify-email');
      if (!grant) throw invalidLink('verification');
      const updated = await db
        .update(users)
        .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`, updatedAt: new Date() })
        .where(and(eq(users.id, grant.userId), sql`lower(${users.email}) = lower(${grant.email})`))
        .returning({ id: users.id });
      if (updated.length === 0)
        throw new HttpError(
          400,
          'EMAIL_CHANGED',
          'This link confirms an address the account no longer uses. Ask for a new confirmation mail from your account page.',
        );
      options.audit?.({ type: 'email.verified', userId: grant.userId, ...ip(context) });
      return { userId: grant.userId };
    },

    deliverMail,

    idle,

    async close() {
      await idle();
      memoryLimiter?.close();
    },
  };

  async function passwordProblem(password: string, user: { email: string; name: string }) {
    const length = [...password].length;
    if (length < MIN_PASSWORD) return `The new password is too short: use at least ${MIN_PASSWORD} characters.`;
    if (length > MAX_PASSWORD) return `The new password is too long: use at most ${MAX_PASSWORD} characters.`;
    return options.checkPassword?.(password, user);
  }
}

/**
 * Trimmed, and shaped like an address: one @ with something on each side, at most 254 characters,
 * no control characters (PostgreSQL text cannot even hold NUL).
 */
export function normalizeEmail(value: string): string {
  const email = value.trim();
  if (email.length > 254 || !/^[^\s@\u0000-\u001f\u007f]+@[^\s@\u0000-\u001f\u007f]+$/.test(email))
    throw new HttpError(
      400,
      'INVALID_EMAIL',
      'That is not an e-mail address: expected something like name@example.com.',
    );
  return email;
}

function invalidLink(kind: 'reset' | 'verification'): HttpError {
  return new HttpError(
    400,
    'INVALID_TOKEN',
    kind === 'reset'
      ? 'This password reset link is invalid, has expired, or was already used. Ask for a new one.'
      : 'This confirmation link is invalid, has expired, or was already used. Ask for a new one from your account page.',
  );
}

function ip(context: RequestContext): { ip?: string } {
  return context.ip === undefined ? {} : { ip: context.ip };
}
