import { parseSetCookie } from 'set-cookie-parser';
import type { Expectation } from './expectations.js';

export interface SetCookie {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** Lower-cased; '' when the attribute has no value, undefined when absent. */
  readonly sameSite: string | undefined;
  readonly path: string | undefined;
  readonly domain: string | undefined;
}

/** Every cookie of the Set-Cookie lines, including several folded into one line (commas inside Expires kept). */
export function parseSetCookies(values: readonly string[]): SetCookie[] {
  return parseSetCookie([...values], { split: true, decodeValues: false, silent: true }).map((c) => ({
    name: c.name,
    secure: c.secure === true,
    httpOnly: c.httpOnly === true,
    sameSite: c.sameSite?.toLowerCase(),
    path: c.path,
    domain: c.domain,
  }));
}

/** The Observatory's own heuristics for what a session or anti-CSRF cookie is. */
export const isSessionCookie = (c: Pick<SetCookie, 'name'>) => /sess|login/i.test(c.name);
export const isAntiCsrfCookie = (c: Pick<SetCookie, 'name'>) => /csrf|xsrf/i.test(c.name);
/** Strict and Lax restrict cross-site sending; None is valid only with Secure (browsers reject it otherwise). */
const sameSiteValid = (c: SetCookie) =>
  c.sameSite === 'strict' || c.sameSite === 'lax' || (c.sameSite === 'none' && c.secure);

export function cookiesExpectation(values: readonly string[], protectedByHsts: boolean): Expectation {
  const cookies = parseSetCookies(values);
  if (cookies.length === 0) return 'CookiesNotFound';
  const sessions = cookies.filter(isSessionCookie);
  const insecureSession = sessions.some((c) => !c.secure);
  const insecure = cookies.some((c) => !c.secure);
  // Worst first; the first that applies is the result.
  const problems: ReadonlyArray<readonly [Expectation, boolean]> = [
    ['CookiesSessionWithoutSecureFlag', insecureSession && !protectedByHsts],
    ['CookiesSessionWithoutHttponlyFlag', sessions.some((c) => !c.httpOnly)],
    ['CookiesSamesiteFlagInvalid', cookies.some((c) => c.sameSite !== undefined && !sameSiteValid(c))],
    ['CookiesAnticsrfWithoutSamesiteFlag', cookies.some((c) => isAntiCsrfCookie(c) && c.sameSite === undefined)],
    ['CookiesWithoutSecureFlag', insecure && !protectedByHsts],
    ['CookiesSessionWithoutSecureFlagButProtectedByHsts', insecureSession],
    ['CookiesWithoutSecureFlagButProtectedByHsts', insecure],
  ];
  const problem = problems.find(([, applies]) => applies);
  if (problem) return problem[0];
  return cookies.every((c) => c.sameSite === 'strict' || c.sameSite === 'lax')
    ? 'CookiesSecureWithHttponlySessionsAndSamesite'
    : 'CookiesSecureWithHttponlySessions';
}
