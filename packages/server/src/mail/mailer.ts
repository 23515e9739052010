/** One message to one person: the framework's mails (verification, reset) are never bulk. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  /** The plain-text body; every mail has one, so any client can show it. */
  readonly text: string;
  /** An optional HTML alternative; the sender escapes whatever it interpolates. */
  readonly html?: string;
}

export interface SentMail {
  /** The Message-ID header the message went out with. */
  readonly messageId: string;
}

/** Where outgoing mail goes: an SMTP server, or files for development and tests. */
export interface Mailer {
  readonly kind: 'smtp' | 'files';
  send(message: MailMessage): Promise<SentMail>;
  /** Closes pooled connections; the mailer cannot send afterwards. */
  close(): void;
}
