/** The comment form's rules, shared by the browser (instant feedback) and the server (the authority). */
export const AUTHOR_MAX = 80;
export const BODY_MAX = 5000;
// Line breaks and tabs belong in a comment; no other control character does, and PostgreSQL text cannot hold NUL.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export type CommentField = 'author' | 'body';
export type CommentFieldErrors = Partial<Record<CommentField, string>>;

/** Lengths count UTF-16 code units after trimming, as the browser's maxlength does. */
export function validateComment(input: { author: string; body: string }): CommentFieldErrors {
  const errors: CommentFieldErrors = {};
  const author = input.author.trim();
  if (author.length === 0) errors.author = 'Please enter your name.';
  else if (author.length > AUTHOR_MAX) errors.author = `Please keep your name to ${AUTHOR_MAX} characters or fewer.`;
  else if (CONTROL.test(author)) errors.author = 'Please remove control characters (such as NUL) from your name.';
  const body = input.body.trim();
  if (body.length === 0) errors.body = 'Please write a comment.';
  else if (body.length > BODY_MAX) errors.body = `Please keep your comment to ${BODY_MAX} characters or fewer.`;
  else if (CONTROL.test(body))
    errors.body = 'Please remove control characters (such as NUL) from your comment; line breaks and tabs are fine.';
  return errors;
}

/** The comment as stored: what validateComment accepted, trimmed. */
export function normalizeComment(input: { author: string; body: string }): { author: string; body: string } {
  return { author: input.author.trim(), body: input.body.trim() };
}

export interface CommentForm {
  readonly author: string;
  readonly body: string;
  /** Per-session token; only ever present on a private (uncached) page or after a private fetch. */
  readonly csrfToken: string | null;
  readonly status: 'editing' | 'submitting' | 'posted' | 'failed';
  readonly errors: CommentFieldErrors;
  /** Public message for a failure that is not about one field. */
  readonly message: string | null;
}

export const emptyCommentForm: CommentForm = {
  author: '',
  body: '',
  csrfToken: null,
  status: 'editing',
  errors: {},
  message: null,
};
