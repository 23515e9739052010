export type { Mailer, MailMessage, SentMail } from './mailer.js';
export { createMailer } from './create-mailer.js';
export { createSmtpMailer } from './smtp-mailer.js';
export type { SmtpMailerOptions } from './smtp-mailer.js';
export { createFileMailer, STORED_MAIL_ID } from './file-mailer.js';
export type { FileMailerOptions, StoredMailSummary } from './file-mailer.js';
export { devMailRoutes } from './dev-mail-routes.js';
export type { DevMailRoutesOptions } from './dev-mail-routes.js';
