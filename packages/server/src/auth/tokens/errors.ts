import { HttpError } from '../../errors/http-error.js';

/**
 * A bearer credential (access token or API key) was presented but does not hold: malformed, badly
 * signed, expired, revoked. 401 with the RFC 6750 challenge as its WWW-Authenticate header, on any
 * route (the error response sets it).
 */
export class InvalidTokenError extends HttpError {
  constructor(description: string, options: { cause?: unknown } = {}) {
    const challenge = `Bearer error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"`;
    super(401, 'INVALID_TOKEN', description, { ...options, headers: { 'www-authenticate': challenge } });
    this.name = 'InvalidTokenError';
  }
}

/** A route that needs a signed-in principal got none: 401 with a plain Bearer challenge. */
export class AuthenticationRequiredError extends HttpError {
  constructor(message = 'Sign in first: this needs a session or a bearer token') {
    super(401, 'AUTHENTICATION_REQUIRED', message, { headers: { 'www-authenticate': 'Bearer' } });
    this.name = 'AuthenticationRequiredError';
  }
}

/** RFC 6749 §5.2 error codes the token endpoints answer with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_grant' | 'invalid_scope' | 'unsupported_token_type';

/**
 * An error of the token endpoints, sent as RFC 6749 §5.2 JSON (`{ error, error_description }`)
 * rather than the app's error body, because OAuth client libraries parse that shape.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  body(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
