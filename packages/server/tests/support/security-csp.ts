import { expect } from 'vitest';

/** A Content-Security-Policy header as directive name → sources (names lower-cased). */
export function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    // The first occurrence of a directive wins; later duplicates are ignored by browsers.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Fetch directives fall back to default-src when absent; navigation/document ones do not. */
function effective(csp: Map<string, string[]>, name: string): string[] | undefined {
  return csp.get(name) ?? csp.get('default-src');
}

const DANGEROUS_SCRIPT_SOURCES = [
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'unsafe-hashes'",
  "'wasm-unsafe-eval'",
  'data:',
  'blob:',
  '*',
  'http:',
  'https:',
];

/**
 * The CSP guarantees every response must carry. form-action may be 'self' (pages) or the
 * stricter 'none' (responses that can never hold a form); the exact page policy is asserted
 * separately.
 */
export function expectStrictCsp(header: string | undefined, label: string): void {
  expect(header, `${label}: content-security-policy`).toBeTypeOf('string');
  const csp = parseCsp(header!);
  expect(csp.get('default-src'), `${label}: default-src`).toEqual(["'none'"]);
  const scripts = effective(csp, 'script-src') ?? [];
  for (const source of DANGEROUS_SCRIPT_SOURCES)
    expect(scripts, `${label}: script-src must not allow ${source}`).not.toContain(source);
  expect(effective(csp, 'object-src'), `${label}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${label}: base-uri`).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), `${label}: frame-ancestors`).toEqual(["'none'"]);
  const formAction = csp.get('form-action');
  expect(formAction, `${label}: form-action`).toBeDefined();
  expect(
    [["'self'"], ["'none'"]],
    `${label}: form-action is 'self' or 'none', got ${formAction?.join(' ')}`,
  ).toContainEqual(formAction);
}
