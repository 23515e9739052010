import { isAntiCsrfCookie, isSessionCookie, parseSetCookies, type SetCookie } from '../../observatory/cookies.js';
import type { CheckResult, Evidence } from '../evidence.js';
import { headerLines, type ObservedResponse } from '../observed.js';

/** Cookies that carry a credential or a CSRF secret: script must not read them. */
const isSensitive = (c: SetCookie) => isSessionCookie(c) || isAntiCsrfCookie(c) || /auth|token|sid/i.test(c.name);

function judge(cookie: SetCookie): { status: 'pass' | 'warn' | 'fail'; problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!cookie.secure) problems.push('no Secure');
  if (!cookie.httpOnly) (isSensitive(cookie) ? problems : notes).push('no HttpOnly');
  if (cookie.sameSite === undefined) problems.push('no SameSite');
  else if (cookie.sameSite === 'none') (cookie.secure ? notes : problems).push('SameSite=None (sent cross-site)');
  else if (cookie.sameSite !== 'lax' && cookie.sameSite !== 'strict')
    problems.push(`invalid SameSite=${cookie.sameSite}`);
  const hostOnlyRoot = cookie.domain === undefined && cookie.path === '/';
  if (cookie.name.startsWith('__Host-')) {
    if (!cookie.secure || !hostOnlyRoot) problems.push('__Host- prefix needs Secure, Path=/ and no Domain');
  } else if (cookie.name.startsWith('__Secure-')) {
    if (!cookie.secure) problems.push('__Secure- prefix needs Secure');
  } else if (isSensitive(cookie) && cookie.secure && hostOnlyRoot) {
    // The prefix makes the browser refuse the cookie from a sibling subdomain or over HTTP.
    notes.push('could be named __Host-' + cookie.name);
  }
  return { status: problems.length > 0 ? 'fail' : notes.length > 0 ? 'warn' : 'pass', problems, notes };
}

/** Secure, HttpOnly, SameSite and the __Host- prefix for every cookie any audited response set. */
export function checkCookies(evidence: Evidence): CheckResult[] {
  const responses: ObservedResponse[] = [
    evidence.page,
    ...evidence.extraPages,
    evidence.notFound,
    ...(evidence.api ? [evidence.api] : []),
  ];
  const seen = new Map<string, { cookie: SetCookie; path: string }>();
  for (const response of responses) {
    for (const cookie of parseSetCookies(headerLines(response, 'set-cookie'))) {
      if (!seen.has(cookie.name)) seen.set(cookie.name, { cookie, path: new URL(response.url).pathname });
    }
  }
  if (seen.size === 0) {
    return [{ id: 'cookies', status: 'pass', detail: 'no Set-Cookie on the audited responses' }];
  }
  return [...seen.values()].map(({ cookie, path }) => {
    const { status, problems, notes } = judge(cookie);
    const flags = [
      cookie.secure && 'Secure',
      cookie.httpOnly && 'HttpOnly',
      cookie.sameSite !== undefined && `SameSite=${cookie.sameSite}`,
    ].filter(Boolean);
    const said = [...problems, ...notes];
    return {
      id: `cookie ${cookie.name}`,
      status,
      detail: `set by ${path}: ${flags.join(', ') || 'no flags'}${said.length > 0 ? ` — ${said.join('; ')}` : ''}`,
    };
  });
}
