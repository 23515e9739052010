/**
 * Mail over SMTP (SMTP_URL) with nodemailer, delivered to a minimal SMTP server on loopback: no
 * SMTP server package is installed, so the test speaks the protocol's core itself. Not covered
 * here: STARTTLS and smtps:// (nodemailer's own TLS code) against a real relay.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from '../src/mail/create-mailer.js';
import { createSmtpMailer } from '../src/mail/smtp-mailer.js';
import { startSmtpResponder, type SmtpResponder } from '@composable-svelte/testing';

const servers: SmtpResponder[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('SMTP mailer', () => {
  it('delivers an RFC 5322 message to the server SMTP_URL names, authenticating with its credentials', async () => {
    const server = await startSmtpResponder({ auth: true });
    servers.push(server);
    const mailer = createMailer({
      mail: {
        smtpUrl: `smtp://mailer:s%3Acret@127.0.0.1:${server.port}`,
        dir: '/nonexistent',
        from: 'Field Notes <no-reply@field-notes.test>',
        perAddressMax: 5,
        resetTtlMs: 1,
        verificationTtlMs: 1,
      },
    });
    expect(mailer.kind).toBe('smtp');
    const link = 'https://field-notes.test/verify-email?token=' + 'x'.repeat(43);
    const { messageId } = await mailer.send({
      to: 'reader@example.com',
      subject: 'Confirm your e-mail address',
      text: `Open ${link}\n.\nA line that is only a dot must survive.`,
    });
    mailer.close();
    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail).toMatchObject({
      from: 'no-reply@field-notes.test',
      to: ['reader@example.com'],
      auth: 'mailer:s:cret',
    });
    expect(mail!.data).toMatch(/^Subject: Confirm your e-mail address$/m);
    expect(mail!.data).toContain(`Message-ID: ${messageId}`);
    const body = mail!.data.split('\r\n\r\n').slice(1).join('\r\n\r\n');
    // Quoted-printable folds long lines with "=\r\n" and writes "=" as "=3D"; decoded, the link is intact.
    const decoded = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    expect(decoded).toContain(link);
    expect(body).toMatch(/^\.$/m);
  });

  it('fails within its timeout when the server never answers, instead of hanging the request', async () => {
    const server = await startSmtpResponder({ greet: false });
    servers.push(server);
    const mailer = createSmtpMailer({ url: `smtp://127.0.0.1:${server.port}`, from: 'a@b.test', timeoutMs: 300 });
    const started = performance.now();
    await expect(mailer.send({ to: 'reader@example.com', subject: 's', text: 't' })).rejects.toThrow(
      /greeting|timeout/i,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    mailer.close();
  });
});
