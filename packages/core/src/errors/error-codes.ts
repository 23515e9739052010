/**
 * Every error a developer can cause and fix, by code: the one owner of codes. Each code has a
 * section in docs/errors.md (a test checks both ways). 1xxx: core, 2xxx: server, 3xxx: dev server.
 */
export const ERROR_CODES = {
  CS1001: 'Bad route definition',
  CS1002: 'Reducer returned no state',
  CS1003: 'State cannot be serialized',
  CS1004: 'Effects did not settle before the SSR deadline',
  CS2001: 'Client build manifest missing',
  CS2002: 'Client entry missing from the build',
  CS2003: 'Prerendering failed',
  CS2004: 'Static export of an app that needs the server',
  CS3001: 'Port already in use',
  CS3002: 'Server module exports no server factory',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Where the explanations live, relative to the repository root. */
export const ERRORS_DOC = 'docs/errors.md';

/** The documentation of one code: its section in docs/errors.md. */
export function errorDocs(code: ErrorCode): string {
  return `${ERRORS_DOC}#${code.toLowerCase()}`;
}
