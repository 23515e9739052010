import type { MailMessage } from '../../mail/mailer.js';

export interface RecoveryMailContext {
  /** The site's name as the mail calls it (default: PUBLIC_URL's host). */
  readonly site: string;
  readonly to: string;
  /** The link carrying the token. */
  readonly link: string;
  /** How long the link works, in minutes. */
  readonly validMinutes: number;
}

/** The two mails, replaceable by an app that wants its own words (or an HTML part). */
export interface RecoveryMails {
  passwordReset(context: RecoveryMailContext): MailMessage;
  emailVerification(context: RecoveryMailContext): MailMessage;
}

const duration = (minutes: number) =>
  minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}` : `${minutes} minutes`;

export const defaultRecoveryMails: RecoveryMails = {
  passwordReset: ({ site, to, link, validMinutes }) => ({
    to,
    subject: `Reset your ${site} password`,
    text: [
      `Someone, hopefully you, asked to reset the password of the ${site} account for ${to}.`,
      '',
      `To choose a new password, open this link within ${duration(validMinutes)}:`,
      link,
      '',
      'The link works once. Resetting signs the account out everywhere.',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  }),
  emailVerification: ({ site, to, link, validMinutes }) => ({
    to,
    subject: `Confirm your e-mail address for ${site}`,
    text: [
      `Please confirm that ${to} is your address for your ${site} account by opening this link within ${duration(validMinutes)}:`,
      link,
      '',
      'If you did not create an account, ignore this mail.',
    ].join('\n'),
  }),
};
