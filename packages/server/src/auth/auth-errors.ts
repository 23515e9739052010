import { HttpError } from '../errors/http-error.js';

/** The one answer to any failed sign-in: it never says whether the address has an account. */
export const INVALID_CREDENTIALS_MESSAGE = 'The e-mail address or password is incorrect.';

export function invalidCredentials(): HttpError {
  return new HttpError(401, 'INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
}

/** 429 with the wait in `Retry-After` (the auth plugin's onError hook writes the header). */
export class TooManyAttemptsError extends HttpError {
  readonly retryAfterSeconds: number;
  constructor(waitMs: number) {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    super(429, 'TOO_MANY_ATTEMPTS', `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`, {
      details: { retryAfterSeconds: seconds },
    });
    this.retryAfterSeconds = seconds;
  }
}
