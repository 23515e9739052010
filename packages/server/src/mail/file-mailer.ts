import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';
import type { StoredMailSummary } from './stored-mail.js';

export interface FileMailerOptions {
  readonly dir: string;
  readonly from: string;
}

/**
 * The embedded default: each message is composed by nodemailer exactly as it would go over SMTP
 * (RFC 5322, MIME, CRLF line ends) and written to `<dir>/<id>.eml`, which any mail client opens.
 */
export function createFileMailer(options: FileMailerOptions): Mailer {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  let ready: Promise<unknown> | undefined;
  // Ids sort in the order messages were sent, even two in one millisecond: the viewer and anyone
  // reading "the newest mail" go by that order.
  let lastStamp = 0;
  return {
    kind: 'files',
    async send(message: MailMessage) {
      ready ??= mkdir(options.dir, { recursive: true });
      await ready;
      const info = await transport.sendMail({ from: options.from, ...message });
      lastStamp = Math.max(Date.now(), lastStamp + 1);
      const id = `${lastStamp}-${randomBytes(6).toString('hex')}`;
      const summary: StoredMailSummary = {
        id,
        messageId: info.messageId,
        date: new Date().toISOString(),
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      };
      // The summary goes last: the viewer lists a message only once both files are there.
      await writeFile(join(options.dir, `${id}.eml`), info.message as Buffer, { mode: 0o600 });
      await writeFile(join(options.dir, `${id}.json`), JSON.stringify(summary), { mode: 0o600 });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
