import { HttpError } from './http-error.js';
import { CSRF_ERROR_MESSAGES } from '../security/csrf.js';
import { nodeHttp } from '../server/node-http.js';

/** What the client may see of an error: the body of every error response, HTML or JSON. */
export interface PublicError {
  readonly status: number;
  readonly code: string;
  /** Safe to show to the client. */
  readonly message: string;
  readonly details?: unknown;
  /** Internal errors are logged with their cause; client errors are not worth an error log line. */
  readonly internal: boolean;
  /** Response headers the error asks for (an HttpError's `headers`). */
  readonly headers?: Readonly<Record<string, string>>;
}

interface FrameworkError extends Error {
  statusCode?: number;
  code?: string;
  validation?: readonly { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

/** The reason phrase of a status (`http.STATUS_CODES`), or a generic one for an unknown status. */
export function statusText(status: number): string {
  return nodeHttp.STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** The code a status gets when nothing more specific is known: its reason phrase, upper snake case. */
function codeFor(status: number): string {
  return statusText(status)
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_');
}

/**
 * Fastify's own client errors, in our documented vocabulary: its codes (FST_…) and messages name
 * framework internals, so none of them reaches a response as it is.
 */
const FRAMEWORK_ERRORS: Readonly<Record<string, { code: string; message: string }>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'MALFORMED_BODY', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'MALFORMED_BODY',
    message: 'The request body is empty although Content-Type says JSON',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'The request body has a Content-Type this route does not accept',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is too large: it exceeds the body size limit',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'BAD_CONTENT_LENGTH',
    message: 'The request body does not match its Content-Length',
  },
  FST_ERR_CTP_EMPTY_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request has an empty Content-Type' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request has an invalid Content-Type' },
  FST_ERR_BAD_URL: { code: 'BAD_URL', message: 'The request URL is malformed' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'BAD_REQUEST', message: 'The request does not match any route constraint' },
  FST_CSRF_MISSING_SECRET: { code: 'CSRF_MISSING_SECRET', message: CSRF_ERROR_MESSAGES.FST_CSRF_MISSING_SECRET! },
  FST_CSRF_INVALID_TOKEN: { code: 'CSRF_INVALID_TOKEN', message: CSRF_ERROR_MESSAGES.FST_CSRF_INVALID_TOKEN! },
};

const OUR_CODE = /^[A-Z][A-Z0-9_]*$/;

/** Turns any thrown value into what the client may see, hiding internals of unexpected errors in production. */
export function describeError(error: unknown, production: boolean): PublicError {
  // An HttpError was thrown on purpose with a message written for the client, whatever its status.
  if (error instanceof HttpError) {
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      ...(error.headers === undefined ? {} : { headers: error.headers }),
      internal: false,
    };
  }
  const e = (error ?? {}) as FrameworkError;
  if (e.validation) {
    const where = e.validationContext ?? 'request';
    const details = e.validation.map((issue) => {
      const missing = issue.params?.missingProperty;
      const path = `${where}${(issue.instancePath ?? '').replace(/\//g, '.')}${missing ? `.${String(missing)}` : ''}`;
      return { path, message: issue.message ?? 'is invalid' };
    });
    return {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: `Invalid ${where}: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`,
      details,
      internal: false,
    };
  }
  const status = typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status < 500) {
    const known = e.code === undefined ? undefined : FRAMEWORK_ERRORS[e.code];
    if (known) return { status, ...known, internal: false };
    // Another framework or plugin code (FST_…, ERR_…) is not part of our vocabulary: the status names it.
    const ours = e.code !== undefined && OUR_CODE.test(e.code) && !/^(FST|ERR)_/.test(e.code);
    return {
      status,
      code: ours ? e.code! : codeFor(status),
      message: ours && e.message ? e.message : statusText(status),
      internal: false,
    };
  }
  return {
    status,
    code: codeFor(status),
    message: production ? statusText(status) : `${statusText(status)}: ${e.message ?? String(error)}`,
    internal: true,
  };
}
