import {
  allPolicies,
  effective,
  has,
  hasNonceOrHash,
  isNone,
  parseCspHeaders,
  type ParsedCsp,
  type SourceList,
} from '../../observatory/csp.js';
import type { CheckResult, Evidence } from '../evidence.js';
import { headerLines, mediaType } from '../observed.js';

const inlineAllowed = (list: SourceList | undefined) =>
  list === undefined || (has(list, 'unsafe-inline') && !hasNonceOrHash(list));
const evalAllowed = (list: SourceList | undefined) => list === undefined || has(list, 'unsafe-eval');

/** A directive without fallback (base-uri, frame-ancestors) set to something narrower than any origin. */
function restricted(csp: ParsedCsp, directive: string): SourceList | undefined {
  return csp.policies
    .map((p) => p.directives.get(directive))
    .find((list) => list !== undefined && !list.some((s) => s === '*' || /^[a-z][a-z0-9+.-]*:$/.test(s)));
}

/** The page's enforced Content-Security-Policy: present, no inline or eval script, no plugins, base and framing locked. */
export function checkCsp(evidence: Evidence): CheckResult[] {
  const page = evidence.page;
  if (mediaType(page) !== 'text/html') {
    return [{ id: 'csp', status: 'skip', detail: `skipped: the target is not HTML (${mediaType(page) || 'no type'})` }];
  }
  const lines = headerLines(page, 'content-security-policy');
  const csp = parseCspHeaders(lines);
  if (csp.invalid) {
    return [{ id: 'csp.enforced', status: 'fail', detail: `Content-Security-Policy cannot be parsed: ${csp.invalid}` }];
  }
  if (csp.policies.length === 0) {
    const reportOnly = headerLines(page, 'content-security-policy-report-only').length > 0;
    return [
      {
        id: 'csp.enforced',
        status: 'fail',
        detail: reportOnly
          ? 'only Content-Security-Policy-Report-Only: nothing is enforced'
          : 'missing Content-Security-Policy',
      },
    ];
  }
  const scriptProblems = [
    allPolicies(csp, (p) => effective(p, 'script-src') === undefined) &&
      'scripts unrestricted (no script-src or default-src)',
    allPolicies(csp, (p) => effective(p, 'script-src') !== undefined && inlineAllowed(effective(p, 'script-src'))) &&
      "'unsafe-inline'",
    allPolicies(csp, (p) => effective(p, 'script-src') !== undefined && evalAllowed(effective(p, 'script-src'))) &&
      "'unsafe-eval'",
  ].filter((problem): problem is string => typeof problem === 'string');
  const objectNone = csp.policies.some((p) => {
    const list = effective(p, 'object-src');
    return list !== undefined && isNone(list);
  });
  const baseUri = restricted(csp, 'base-uri');
  const frameAncestors = restricted(csp, 'frame-ancestors');
  return [
    {
      id: 'csp.enforced',
      status: 'pass',
      detail: `${csp.policies.length} enforced polic${csp.policies.length === 1 ? 'y' : 'ies'}`,
    },
    scriptProblems.length === 0
      ? { id: 'csp.script-src', status: 'pass', detail: "no 'unsafe-inline' or 'unsafe-eval' for scripts" }
      : { id: 'csp.script-src', status: 'fail', detail: `script-src allows ${scriptProblems.join(' and ')}` },
    objectNone
      ? { id: 'csp.object-src', status: 'pass', detail: "object-src 'none'" }
      : { id: 'csp.object-src', status: 'fail', detail: "object-src is not 'none' (plugins can load)" },
    baseUri
      ? { id: 'csp.base-uri', status: 'pass', detail: `base-uri ${baseUri.join(' ')}` }
      : {
          id: 'csp.base-uri',
          status: 'fail',
          detail: 'missing base-uri (it does not fall back to default-src): a <base> tag can redirect relative scripts',
        },
    frameAncestors
      ? { id: 'csp.frame-ancestors', status: 'pass', detail: `frame-ancestors ${frameAncestors.join(' ') || "'none'"}` }
      : {
          id: 'csp.frame-ancestors',
          status: 'fail',
          detail: 'missing frame-ancestors (it does not fall back to default-src): the page can be framed',
        },
  ];
}
