import { Type } from '@sinclair/typebox';
import { defineJob, type JobDefinition, type RetryPolicy } from '../../jobs/define-job.js';
import type { RecoveryMailRequest } from './account-recovery.js';

export const RECOVERY_MAIL_JOB = 'auth.recovery-mail';

const RecoveryMailPayload = Type.Object(
  {
    purpose: Type.Union([Type.Literal('verify-email'), Type.Literal('reset-password')]),
    userId: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export interface RecoveryMailJobOptions {
  /** Sends one mail: `(request) => recovery.deliverMail(request)`, read when the job runs. */
  readonly deliver: (request: RecoveryMailRequest) => Promise<unknown>;
  /**
   * Default: 8 retries, exponential from 30 s up to an hour apart (about 2 hours in all, well
   * inside the verification link's day), then the dead-letter queue.
   */
  readonly retry?: RetryPolicy;
}

/**
 * The job that sends account-recovery mail (verification, password reset): pass it to
 * `createJobs`, and `queue: (request) => jobs.enqueue(RECOVERY_MAIL_JOB, request)` to
 * `createAccountRecovery`. The payload names the account and the link's purpose only; the link is
 * issued when the mail is sent, so the queue never holds a usable token.
 */
export function recoveryMailJob(
  options: RecoveryMailJobOptions,
): JobDefinition<typeof RECOVERY_MAIL_JOB, typeof RecoveryMailPayload> {
  return defineJob(RECOVERY_MAIL_JOB, {
    payload: RecoveryMailPayload,
    retry: options.retry ?? { limit: 8, backoff: 'exponential', delayMs: 30_000, maxDelayMs: 3_600_000 },
    // A mail server that accepts nothing within its own timeouts (10 s each) is a failed try.
    timeoutMs: 120_000,
    concurrency: 4,
    handler: async (request) => {
      await options.deliver(request);
    },
  });
}
