import { parseCspHeaders } from '../../observatory/csp.js';
import {
  referrerPolicyExpectation,
  xContentTypeOptionsExpectation,
  xFrameOptionsExpectation,
} from '../../observatory/policy-headers.js';
import type { CheckResult, Evidence } from '../evidence.js';
import { headerLines, type ObservedResponse } from '../observed.js';

const lines = (response: ObservedResponse, name: string) => {
  const values = headerLines(response, name);
  return values.length === 0 ? undefined : values;
};

/** The page's security headers besides CSP and HSTS, each named when missing or wrong. */
export function checkSecurityHeaders(evidence: Evidence): CheckResult {
  const id = 'headers.security';
  const page = evidence.page;
  const csp = parseCspHeaders(headerLines(page, 'content-security-policy'));
  const problems: string[] = [];
  const advice: string[] = [];
  const nosniff = xContentTypeOptionsExpectation(lines(page, 'x-content-type-options'));
  if (nosniff !== 'XContentTypeOptionsNosniff') problems.push('X-Content-Type-Options: nosniff');
  const framing = xFrameOptionsExpectation(lines(page, 'x-frame-options'), csp);
  if (framing !== 'XFrameOptionsImplementedViaCsp' && framing !== 'XFrameOptionsSameoriginOrDeny') {
    problems.push('X-Frame-Options (DENY or SAMEORIGIN) or CSP frame-ancestors');
  }
  const referrer = referrerPolicyExpectation(lines(page, 'referrer-policy'));
  if (referrer !== 'ReferrerPolicyPrivate') problems.push('Referrer-Policy (e.g. strict-origin-when-cross-origin)');
  for (const name of ['Cross-Origin-Opener-Policy', 'Cross-Origin-Resource-Policy', 'Permissions-Policy']) {
    if (!lines(page, name)) advice.push(name);
  }
  if (problems.length > 0) {
    return { id, status: 'fail', detail: `missing or wrong: ${[...problems, ...advice].join(', ')}` };
  }
  return advice.length > 0
    ? { id, status: 'warn', detail: `recommended, missing: ${advice.join(', ')}` }
    : { id, status: 'pass', detail: 'nosniff, framing, Referrer-Policy, COOP, CORP and Permissions-Policy set' };
}
