import { HttpError } from '../../errors/http-error.js';

/**
 * Errors thrown by the rate limiter. As HttpErrors, the app's central error handler keeps their
 * status, code and message, and renders an HTML page or JSON by Accept.
 */

function seconds(value: number): string {
  const rounded = Number(value.toFixed(3));
  return `${rounded} ${rounded === 1 ? 'second' : 'seconds'}`;
}

export class RateLimitedError extends HttpError {
  readonly retryAfterSeconds: number;

  constructor(limit: number, windowMs: number, retryAfterSeconds: number) {
    super(
      429,
      'RATE_LIMITED',
      `Too many requests: limit is ${limit} per ${seconds(windowMs / 1000)}; retry in ${seconds(retryAfterSeconds)}`,
      {
        // Lets API clients back off without parsing the message.
        details: { limit, windowSeconds: windowMs / 1000, retryAfterSeconds },
      },
    );
    this.name = 'RateLimitedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class RateLimitUnavailableError extends HttpError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number, options: { cause?: unknown } = {}) {
    super(
      503,
      'RATE_LIMIT_UNAVAILABLE',
      `The rate limiter cannot reach its store; retry in ${seconds(retryAfterSeconds)}`,
      options,
    );
    this.name = 'RateLimitUnavailableError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
