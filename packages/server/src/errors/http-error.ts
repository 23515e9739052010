/**
 * An error whose status, code and message are meant for the client. Anything that is not an
 * HttpError (or a framework error with a known status) is an internal error: the client sees only
 * "Internal Server Error" in production, and the cause goes to the log.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;
  /** Headers the error response carries (a 401's `WWW-Authenticate`), whichever route threw it. */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; cause?: unknown; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpError';
    this.statusCode = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  get status(): number {
    return this.statusCode;
  }
}

type Helper = (message?: string, options?: { details?: unknown; cause?: unknown }) => HttpError;
const helper =
  (status: number, code: string, fallback: string): Helper =>
  (message, options) =>
    new HttpError(status, code, message ?? fallback, options);

export const badRequest = helper(400, 'BAD_REQUEST', 'Bad Request');
export const forbidden = helper(403, 'FORBIDDEN', 'Forbidden');
export const notFound = helper(404, 'NOT_FOUND', 'Not Found');
export const methodNotAllowed = helper(405, 'METHOD_NOT_ALLOWED', 'Method Not Allowed');
export const conflict = helper(409, 'CONFLICT', 'Conflict');
export const serviceUnavailable = helper(503, 'SERVICE_UNAVAILABLE', 'Service Unavailable');
