/** Why a query or mutation failed, as a UI needs to know it. */
export type QueryErrorKind = 'timeout' | 'network' | 'http' | 'decode';

export class QueryError extends Error {
  readonly kind: QueryErrorKind;
  /** The HTTP status, for `http` failures only. */
  readonly status: number | undefined;
  /** Whether asking again may succeed: timeouts, network failures, 408, 429 and 5xx. */
  readonly retryable: boolean;

  constructor(kind: QueryErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QueryError';
    this.kind = kind;
    this.status = kind === 'http' ? options.status : undefined;
    this.retryable =
      kind === 'timeout' ||
      kind === 'network' ||
      (kind === 'http' &&
        options.status !== undefined &&
        (options.status >= 500 || [408, 429].includes(options.status)));
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/**
 * The QueryError a fetcher's failure stands for, or undefined when it is none of the four kinds: a
 * thrown QueryError as is; an error with an integer `status` (0 meaning no answer) as http or
 * network; `fetch`'s TypeError as network; a SyntaxError (from `response.json()`) as decode; a
 * TimeoutError (`AbortSignal.timeout`) as timeout.
 */
export function toQueryError(error: unknown): QueryError | undefined {
  if (error instanceof QueryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status !== undefined) {
    return status === 0
      ? new QueryError('network', message, { cause: error })
      : new QueryError('http', message, { status, cause: error });
  }
  if (error instanceof Error && error.name === 'TimeoutError')
    return new QueryError('timeout', message, { cause: error });
  if (error instanceof TypeError) return new QueryError('network', message, { cause: error });
  if (error instanceof SyntaxError) return new QueryError('decode', message, { cause: error });
  return undefined;
}
