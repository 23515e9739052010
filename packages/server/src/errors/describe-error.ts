import { HttpError } from './http-error.js';
import { CSRF_ERROR_MESSAGES } from '../security/csrf.js';

export interface PublicError {
  readonly status: number;
  readonly code: string;
  /** Safe to show to the client. */
  readonly message: string;
  readonly details?: unknown;
  /** Internal errors are logged with their cause; client errors are not worth an error log line. */
  readonly internal: boolean;
}

interface FrameworkError extends Error {
  statusCode?: number;
  code?: string;
  validation?: readonly { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

export function codeFor(status: number): string {
  return statusText(status)
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_');
}

/** Turns any thrown value into what the client may see, hiding internals of unexpected errors in production. */
export function describeError(error: unknown, production: boolean): PublicError {
  // An HttpError was thrown on purpose with a message written for the client, whatever its status.
  if (error instanceof HttpError) {
    return {
      status: error.statusCode,
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
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
    const code = e.code && /^[A-Z][A-Z0-9_]*$/.test(e.code) ? e.code : codeFor(status);
    return { status, code, message: CSRF_ERROR_MESSAGES[code] ?? (e.message || statusText(status)), internal: false };
  }
  return {
    status,
    code: codeFor(status),
    message: production ? statusText(status) : `${statusText(status)}: ${e.message ?? String(error)}`,
    internal: true,
  };
}
