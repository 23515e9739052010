import { ERROR_CODES, errorDocs, type ErrorCode } from './error-codes.js';

/**
 * An error the developer caused and can fix, in the Rust compiler's manner: a code, what happened,
 * what to do, where to read more. The message carries all three, so a log line or a development
 * error page tells the whole story.
 *
 *     error[CS1002]: Reducer returned no state for action "postsLoaded"
 *       help: return [state, effect] from every branch, e.g. [state, Effect.none()]
 *       docs: docs/errors.md#cs1002
 */
export class FrameworkError extends Error {
  readonly code: ErrorCode;
  /** What happened, in one line (the message adds the code, the help and the docs). */
  readonly summary: string;
  /** What to do about it. */
  readonly help: string;
  /** The code's section in docs/errors.md. */
  readonly docs: string;

  constructor(code: ErrorCode, summary: string, help: string, options?: ErrorOptions) {
    super(`error[${code}]: ${summary}\n  help: ${help}\n  docs: ${errorDocs(code)}`, options);
    this.name = 'FrameworkError';
    this.code = code;
    this.summary = summary;
    this.help = help;
    this.docs = errorDocs(code);
  }

  /** The code's title in the registry, e.g. "Port already in use". */
  get title(): string {
    return ERROR_CODES[this.code];
  }
}
