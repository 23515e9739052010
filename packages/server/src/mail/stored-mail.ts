// How the file mailer names and summarises what it writes, for the development inbox to read: in a
// module of its own so the inbox's routes load without nodemailer.

/** What the development mail viewer lists, written next to each message so it need not parse MIME. */
export interface StoredMailSummary {
  readonly id: string;
  readonly messageId: string;
  readonly date: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** `<ms since epoch>-<12 hex>`: sorts by time, and nothing else can pass for one (no path in it). */
export const STORED_MAIL_ID = /^\d{13}-[0-9a-f]{12}$/;
