/**
 * Parsing of state serialized on the server by `serializeState`.
 *
 * Browser-safe: no Node imports; esm-env's DEV flag only.
 */
import { DEV } from 'esm-env';

/** Thrown by {@link parseState} when the text is missing, empty or not valid JSON. */
export class StateParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StateParseError';
  }
}

const EXCERPT_LENGTH = 60;

/** Shows `text` on one line: control characters and line separators are \u-escaped. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A short excerpt of `text` around `position` (marked `<<HERE>>`), or of its beginning. */
function excerpt(text: string, position: number | undefined): string {
  if (position === undefined || position > text.length) {
    const head = text.slice(0, EXCERPT_LENGTH);
    return `text begins with: ${printable(head)}${text.length > head.length ? '…' : ''}`;
  }
  const start = Math.max(0, position - EXCERPT_LENGTH / 2);
  const end = Math.min(text.length, position + EXCERPT_LENGTH / 2);
  return (
    `near position ${position}: ${start > 0 ? '…' : ''}${printable(text.slice(start, position))}` +
    `<<HERE>>${printable(text.slice(position, end))}${end < text.length ? '…' : ''}`
  );
}

function errorPosition(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /\bposition (\d+)/.exec(error.message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Parses state serialized by `serializeState`, e.g. the `textContent` of the
 * `<script type="application/json">` element the server rendered it into.
 *
 * @throws {StateParseError} when `text` is not a string, is empty or blank, or
 * is not valid JSON. The message includes the underlying JSON error and, in
 * development, a short excerpt of the text.
 */
export function parseState<S = unknown>(text: string): S {
  if (typeof text !== 'string') {
    const got = text === null ? 'null' : typeof text;
    throw new StateParseError(
      `Cannot parse serialized state: expected a string, got ${got} ` +
        '(is the state script element missing from the page?)',
    );
  }
  if (text.trim() === '') {
    throw new StateParseError(
      'Cannot parse serialized state: the text is empty ' +
        '(is the state script element empty, or was the state not rendered?)',
    );
  }
  try {
    return JSON.parse(text) as S;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // The engine's message names the position; development adds an excerpt of the text around it.
    const where = DEV ? `; ${excerpt(text, errorPosition(error))}` : '';
    throw new StateParseError(`Cannot parse serialized state: invalid JSON (${reason})${where}`, { cause: error });
  }
}
