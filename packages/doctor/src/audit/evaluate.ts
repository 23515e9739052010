import { checkCaching } from './checks/caching.js';
import { checkCompression } from './checks/compression.js';
import { checkCookies } from './checks/cookies.js';
import { checkCsp } from './checks/csp.js';
import { checkGrades } from './checks/grades.js';
import { checkLeaks } from './checks/leaks.js';
import { checkProbes } from './checks/probes.js';
import { checkRequestId, checkTrace } from './checks/protocol.js';
import { checkSecurityHeaders } from './checks/security-headers.js';
import { checkHsts, checkHttpRedirect } from './checks/transport.js';
import type { CheckOptions, CheckResult, Evidence } from './evidence.js';

/** Every check, in the order the report lists them. */
export function evaluate(evidence: Evidence, options: CheckOptions = {}): CheckResult[] {
  return [
    ...checkProbes(evidence),
    ...checkGrades(evidence, options),
    checkHttpRedirect(evidence, options),
    checkHsts(evidence, options),
    ...checkCsp(evidence),
    checkSecurityHeaders(evidence),
    ...checkCookies(evidence),
    ...checkCaching(evidence),
    ...checkCompression(evidence),
    ...checkLeaks(evidence),
    checkTrace(evidence),
    checkRequestId(evidence),
  ];
}
