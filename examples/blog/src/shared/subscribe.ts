/** The newsletter form's rules, shared by the browser (instant feedback) and the server (the authority). */
export const NAME_MAX = 80;
export const EMAIL_MAX = 254;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export type SubscribeField = 'name' | 'email';
export type FieldErrors = Partial<Record<SubscribeField, string>>;

export function validateSubscription(input: { name: string; email: string }): FieldErrors {
  const errors: FieldErrors = {};
  const name = input.name.trim();
  if (name.length === 0) errors.name = 'Please enter your name.';
  else if (name.length > NAME_MAX) errors.name = `Please keep your name under ${NAME_MAX} characters.`;
  // PostgreSQL text cannot hold NUL, and no name needs a control character.
  else if (CONTROL.test(name)) errors.name = 'Please remove control characters (such as NUL) from your name.';
  const email = input.email.trim();
  if (email.length === 0) errors.email = 'Please enter your email address.';
  else if (email.length > EMAIL_MAX || !EMAIL.test(email))
    errors.email = 'Please enter a valid email address, like ada@example.com.';
  return errors;
}

export interface SubscribeForm {
  readonly name: string;
  readonly email: string;
  /** Per-session token; only ever present on a private (uncached) page or after a private fetch. */
  readonly csrfToken: string | null;
  readonly status: 'editing' | 'submitting' | 'subscribed' | 'failed';
  readonly errors: FieldErrors;
  /** Public message for a failure that is not about one field. */
  readonly message: string | null;
  /** Name of the person who subscribed, shown in the confirmation. */
  readonly subscribedAs: string | null;
}

export const emptySubscribeForm: SubscribeForm = {
  name: '',
  email: '',
  csrfToken: null,
  status: 'editing',
  errors: {},
  message: null,
  subscribedAs: null,
};
