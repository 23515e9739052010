import type { ServerConfig } from '../config/load-config.js';
import { createFileMailer } from './file-mailer.js';
import type { Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

/** The mailer the configuration names: SMTP_URL's server, else .eml files in MAIL_DIR. */
export function createMailer(config: Pick<ServerConfig, 'mail'>): Mailer {
  const { smtpUrl, dir, from } = config.mail;
  return smtpUrl ? createSmtpMailer({ url: smtpUrl, from }) : createFileMailer({ dir, from });
}
