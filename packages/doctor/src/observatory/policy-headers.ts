import { isNone, type ParsedCsp } from './csp.js';
import { OBSERVATORY_ORIGIN, type Expectation } from './expectations.js';
import { listItems } from './headers.js';

// CORS, Referrer-Policy, HSTS, X-Content-Type-Options, X-Frame-Options, CORP, COOP, COEP: one
// header each, graded from its value alone.
export function corsExpectation(headers: ReadonlyMap<string, string[]>): Expectation {
  const origin = (headers.get('access-control-allow-origin') ?? []).join(',').trim();
  if (origin === '') return 'CrossOriginResourceSharingNotImplemented';
  if (origin === '*') return 'CrossOriginResourceSharingImplementedWithPublicAccess';
  if (origin.toLowerCase() === OBSERVATORY_ORIGIN) {
    const credentials =
      (headers.get('access-control-allow-credentials') ?? []).join(',').trim().toLowerCase() === 'true';
    // Reflecting any Origin is public access; with credentials it exposes users' data to every site.
    return credentials
      ? 'CrossOriginResourceSharingImplementedWithUniversalAccess'
      : 'CrossOriginResourceSharingImplementedWithPublicAccess';
  }
  return 'CrossOriginResourceSharingImplementedWithRestrictedAccess';
}

const PRIVATE_REFERRER_POLICIES = new Set([
  'no-referrer',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
]);
const UNSAFE_REFERRER_POLICIES = new Set([
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'unsafe-url',
]);

export function referrerPolicyExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'ReferrerPolicyNotImplemented';
  // Browsers use the last token they recognize, so unknown newer values can lead a fallback list.
  const known = listItems(values)
    .map((token) => token.toLowerCase())
    .filter((token) => PRIVATE_REFERRER_POLICIES.has(token) || UNSAFE_REFERRER_POLICIES.has(token));
  const policy = known.at(-1);
  if (policy === undefined) return 'ReferrerPolicyHeaderInvalid';
  return PRIVATE_REFERRER_POLICIES.has(policy) ? 'ReferrerPolicyPrivate' : 'ReferrerPolicyUnsafe';
}

/** 180 days; the Observatory's "six months". */
export const HSTS_MIN_MAX_AGE = 15_552_000;

export type HstsExpectation = Extract<Expectation, `Hsts${string}`>;

export function hstsExpectation(values: readonly string[] | undefined): HstsExpectation {
  // Browsers honour only the first Strict-Transport-Security header.
  const value = values?.[0];
  if (value === undefined) return 'HstsNotImplemented';
  const seen = new Map<string, string | undefined>();
  for (const part of value.split(';')) {
    if (part.trim() === '') continue;
    const match = /^\s*([A-Za-z0-9-]+)\s*(?:=\s*("[^"]*"|[^\s"]*))?\s*$/.exec(part);
    if (!match) return 'HstsHeaderInvalid';
    const name = match[1]!.toLowerCase();
    if (seen.has(name)) return 'HstsHeaderInvalid';
    seen.set(name, match[2]?.replace(/^"(.*)"$/, '$1'));
  }
  const maxAge = seen.get('max-age');
  if (maxAge === undefined || !/^\d+$/.test(maxAge)) return 'HstsHeaderInvalid';
  return Number(maxAge) >= HSTS_MIN_MAX_AGE
    ? 'HstsImplementedMaxAgeAtLeastSixMonths'
    : 'HstsImplementedMaxAgeLessThanSixMonths';
}

export function xContentTypeOptionsExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'XContentTypeOptionsNotImplemented';
  // As the Fetch standard does, only the first item of the combined value counts.
  return listItems(values)[0]?.toLowerCase() === 'nosniff'
    ? 'XContentTypeOptionsNosniff'
    : 'XContentTypeOptionsHeaderInvalid';
}

export function xFrameOptionsExpectation(values: readonly string[] | undefined, csp: ParsedCsp): Expectation {
  const framingLocked = csp.policies.some((p) => {
    const list = p.directives.get('frame-ancestors');
    return list !== undefined && (isNone(list) || list.every((s) => s === "'self'"));
  });
  if (framingLocked) return 'XFrameOptionsImplementedViaCsp';
  if (!values) return 'XFrameOptionsNotImplemented';
  // Repeated values are fine when they agree, as browsers treat them.
  const items = new Set(listItems(values).map((item) => item.toUpperCase()));
  if (items.size !== 1) return 'XFrameOptionsHeaderInvalid';
  const [item = ''] = items;
  if (item === 'DENY' || item === 'SAMEORIGIN') return 'XFrameOptionsSameoriginOrDeny';
  if (/^ALLOW-FROM\s+\S+$/.test(item)) return 'XFrameOptionsAllowFromOrigin';
  return 'XFrameOptionsHeaderInvalid';
}

/** A single token, parameters (`; report-to="…"`) dropped; undefined for a missing or repeated header. */
function policyToken(values: readonly string[]): string | undefined {
  const items = listItems(values);
  if (items.length !== 1) return undefined;
  return items[0]!.split(';')[0]!.trim().toLowerCase();
}

export function corpExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'CrossOriginResourcePolicyNotImplemented';
  switch (policyToken(values)) {
    case 'same-origin':
      return 'CrossOriginResourcePolicyImplementedWithSameOrigin';
    case 'same-site':
      return 'CrossOriginResourcePolicyImplementedWithSameSite';
    case 'cross-origin':
      return 'CrossOriginResourcePolicyImplementedWithCrossOrigin';
    default:
      return 'CrossOriginResourcePolicyHeaderInvalid';
  }
}

export function coopExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'CoopNotImplemented';
  switch (policyToken(values)) {
    case 'same-origin':
      return 'CoopImplementedWithSameOrigin';
    case 'same-origin-allow-popups':
      return 'CoopImplementedWithSameOriginAllowPopups';
    case 'noopener-allow-popups':
      return 'CoopImplementedWithNoopenerAllowPopups';
    case 'unsafe-none':
      return 'CoopImplementedWithUnsafeNone';
    default:
      return 'CoopHeaderInvalid';
  }
}

export function coepExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'CoepNotImplemented';
  switch (policyToken(values)) {
    case 'require-corp':
      return 'CoepImplementedWithRequireCorp';
    case 'credentialless':
      return 'CoepImplementedWithCredentialless';
    case 'unsafe-none':
      return 'CoepImplementedWithUnsafeNone';
    default:
      return 'CoepHeaderInvalid';
  }
}
