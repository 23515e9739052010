import { createTransport } from 'nodemailer';
import type { Mailer } from './mailer.js';

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  readonly url: string;
  readonly from: string;
  /** How long connecting, the greeting and each command may take; default 10 s. */
  readonly timeoutMs?: number;
}

/** Sends through an SMTP server with nodemailer. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const timeoutMs = options.timeoutMs ?? 10_000;
  // nodemailer's defaults wait minutes on a silent server, and a request that sends mail would wait with it.
  const transport = createTransport({
    url: options.url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
