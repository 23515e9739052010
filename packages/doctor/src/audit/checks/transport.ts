import { HSTS_MIN_MAX_AGE, hstsExpectation } from '../../observatory/policy-headers.js';
import type { RedirectionExpectation } from '../../observatory/grade.js';
import type { CheckOptions, CheckResult, Evidence } from '../evidence.js';
import { answered, header, headerLines } from '../observed.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost') || /^127\./.test(url.hostname);
}

/**
 * How HTTPS-only checks treat the target: judged when it is https; skipped on plain HTTP at a
 * loopback address (a local build under test); failed on plain HTTP anywhere else, or whenever
 * --require-https is given.
 */
export function httpsVerdict(evidence: Evidence, options: CheckOptions): 'https' | 'skip' | 'fail' {
  if (evidence.target.protocol === 'https:') return 'https';
  return isLoopback(evidence.target) && !options.requireHttps ? 'skip' : 'fail';
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The Observatory's reading of what plain HTTP did; undefined when nothing was observed. */
export function observedRedirection(evidence: Evidence): RedirectionExpectation | undefined {
  const observed = evidence.httpRedirect;
  if (!observed) return undefined;
  const { response } = observed;
  if (!answered(response)) return observed.explicit ? 'RedirectionMissing' : 'RedirectionNotNeededNoHttp';
  const location = header(response, 'location');
  if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return 'RedirectionMissing';
  const to = new URL(location, observed.from);
  if (to.protocol !== 'https:') return 'RedirectionNotToHttps';
  // On plain HTTP under test the public host is not the one audited; only an https target can be compared.
  if (evidence.target.protocol === 'https:' && to.hostname !== evidence.target.hostname) {
    return 'RedirectionOffHostFromHttp';
  }
  return 'RedirectionToHttps';
}

export function checkHttpRedirect(evidence: Evidence, options: CheckOptions): CheckResult {
  const id = 'https.redirect';
  const observed = evidence.httpRedirect;
  if (!observed) {
    const verdict = httpsVerdict(evidence, options);
    return verdict === 'skip'
      ? { id, status: 'skip', detail: 'skipped: not HTTPS (give --http-port or --http-url to test a redirect)' }
      : { id, status: 'fail', detail: `served over plain HTTP: ${evidence.target.origin}` };
  }
  const { response, from } = observed;
  const location = header(response, 'location');
  const target = location === undefined ? '' : new URL(location, from).href;
  switch (observedRedirection(evidence)) {
    case 'RedirectionToHttps':
      return { id, status: 'pass', detail: `${from} → ${response.status} ${target}` };
    case 'RedirectionNotNeededNoHttp':
      return { id, status: 'pass', detail: `nothing answers plain HTTP at ${from} (${response.error ?? ''})` };
    case 'RedirectionOffHostFromHttp':
      return { id, status: 'fail', detail: `${from} redirects to another host (${target}): HSTS cannot take hold` };
    case 'RedirectionNotToHttps':
      return { id, status: 'fail', detail: `${from} redirects to ${target}, not to HTTPS` };
    default:
      return {
        id,
        status: 'fail',
        detail: answered(response)
          ? `${from} answered ${response.status} without redirecting to HTTPS`
          : `no answer from ${from}: ${response.error ?? 'unknown error'}`,
      };
  }
}

export function checkHsts(evidence: Evidence, options: CheckOptions): CheckResult {
  const id = 'https.hsts';
  const verdict = httpsVerdict(evidence, options);
  if (verdict === 'skip') return { id, status: 'skip', detail: 'skipped: not HTTPS' };
  if (verdict === 'fail') return { id, status: 'fail', detail: `served over plain HTTP: ${evidence.target.origin}` };
  const lines = headerLines(evidence.page, 'strict-transport-security');
  const value = lines[0];
  switch (hstsExpectation(lines.length === 0 ? undefined : lines)) {
    case 'HstsImplementedMaxAgeAtLeastSixMonths': {
      const extras = /includesubdomains/i.test(value ?? '') ? '' : ' (without includeSubDomains)';
      return { id, status: 'pass', detail: `${value}${extras}` };
    }
    case 'HstsImplementedMaxAgeLessThanSixMonths':
      return { id, status: 'fail', detail: `max-age below ${HSTS_MIN_MAX_AGE} s (six months): ${value}` };
    case 'HstsNotImplemented':
      return { id, status: 'fail', detail: 'missing Strict-Transport-Security' };
    default:
      return { id, status: 'fail', detail: `Strict-Transport-Security cannot be parsed: ${value}` };
  }
}
