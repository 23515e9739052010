/**
 * Account-recovery mail through a job, on both tiers: the request only queues it, so a mail server
 * that is down neither slows nor fails it; the job retries until the server is back, and one that
 * stays down ends in the dead-letter queue. The queue holds no usable token.
 */
import { databaseTiers, eventually, freeLoopbackPort, startSmtpResponder } from '@composable-svelte/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../src/jobs/define-job.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { RECOVERY_MAIL_JOB, recoveryMailJob } from '../src/auth/reset/recovery-mail-job.js';
import { createSmtpMailer } from '../src/mail/smtp-mailer.js';
import { recoveryHarness } from './support/account-recovery.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

async function queuedRecovery(tier: Parameters<typeof recoveryHarness>[0], port: number, retry: RetryPolicy) {
  const ids: string[] = [];
  const mailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${port}`,
    from: 'no-reply@field-notes.test',
    timeoutMs: 2000,
  });
  const harness = await recoveryHarness(tier, disposers, {
    mailer,
    queue: async (request) => {
      ids.push((await jobs.enqueue(RECOVERY_MAIL_JOB, request))!);
    },
  });
  const { recovery } = harness;
  const jobs = createJobs({
    database: harness.database,
    jobs: [recoveryMailJob({ deliver: (request) => recovery.deliverMail(request), retry })],
    pollIntervalMs: 500,
  });
  await jobs.start();
  disposers.unshift(() => jobs.stop({ timeoutMs: 1000 }));
  /** The first queued mail's job. */
  const first = async () => (ids[0] === undefined ? null : jobs.get(RECOVERY_MAIL_JOB, ids[0]));
  return { ...harness, jobs, first };
}

describe.each(await databaseTiers())('recovery mail through a job on $name', (tier) => {
  it('a verification mail queued while SMTP is down is delivered once it is back', { timeout: 30_000 }, async () => {
    const port = await freeLoopbackPort();
    const { recovery, first, addUser } = await queuedRecovery(tier, port, {
      limit: 5,
      backoff: 'fixed',
      delayMs: 1000,
    });
    const user = await addUser({ email: 'reader@example.com' });
    await recovery.sendVerification(user.id);

    // The first try finds no server and the job waits for its retry; the payload names no token.
    expect(await eventually(async () => (await first())?.state === 'retry', 10_000)).toBe(true);
    const queued = await first();
    expect(queued!.payload).toEqual({ purpose: 'verify-email', userId: user.id });
    expect(JSON.stringify(queued!.output)).toMatch(/ECONNREFUSED/);

    const smtp = await startSmtpResponder({ port });
    disposers.unshift(() => smtp.close());
    expect(await eventually(() => smtp.received.length === 1, 15_000)).toBe(true);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['reader@example.com']);
    // nodemailer sends the text quoted-printable: soft line breaks and =XX escapes.
    const text = mail.data
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const token = /verify-email\?token=([\w-]{43})\b/.exec(text)?.[1];
    expect(token).toBeDefined();
    // The link the retry issued is the one that works.
    await expect(recovery.verifyEmail(token!)).resolves.toEqual({ userId: user.id });
    expect(await eventually(async () => (await first())?.state === 'completed', 5000)).toBe(true);
  });

  it('a reset mail whose server stays down ends in the dead-letter queue', { timeout: 30_000 }, async () => {
    const port = await freeLoopbackPort();
    const { recovery, jobs, addUser } = await queuedRecovery(tier, port, { limit: 1, backoff: 'fixed', delayMs: 1000 });
    const user = await addUser({ email: 'reader@example.com' });
    await recovery.requestPasswordReset('reader@example.com');
    await recovery.idle();
    expect(await eventually(async () => (await jobs.deadLetters(RECOVERY_MAIL_JOB)).length === 1, 15_000)).toBe(true);
    const [dead] = await jobs.deadLetters(RECOVERY_MAIL_JOB);
    expect(dead!.payload).toEqual({ purpose: 'reset-password', userId: user.id });
    expect(JSON.stringify(dead!.error)).toMatch(/ECONNREFUSED/);
  });

  it('a queued verification for an address verified meanwhile sends nothing', { timeout: 30_000 }, async () => {
    const port = await freeLoopbackPort();
    const smtp = await startSmtpResponder({ port });
    disposers.unshift(() => smtp.close());
    const { recovery, addUser } = await queuedRecovery(tier, port, { limit: 0 });
    const user = await addUser({ email: 'reader@example.com', emailVerifiedAt: new Date() });
    await expect(recovery.deliverMail({ purpose: 'verify-email', userId: user.id })).resolves.toBe(false);
    await expect(recovery.deliverMail({ purpose: 'reset-password', userId: user.id })).resolves.toBe(true);
    expect(smtp.received).toHaveLength(1);
  });
});
