/**
 * An offline grader for HTTP responses using the header rules of Mozilla's HTTP Observatory
 * (scoring algorithm v6). Give it one response as a browser on HTTPS would get it and it picks
 * one expectation per test, scores them with the Observatory's curve and assigns the letter grade.
 *
 * This is our own implementation, written from the Observatory's published score table and test
 * descriptions. What an offline grader cannot see it states as an assumption:
 * - the page is served over HTTPS with a valid certificate (`url` must be https://);
 * - the HTTP→HTTPS redirection is described by `options.httpRedirect`, not observed;
 * - the HSTS preload list is not consulted, so `HstsPreloaded` (+5) is never awarded;
 * - CORS is judged from the response to a request carrying `Origin: https://http-observatory.security.mozilla.org`,
 *   and crossdomain.xml / clientaccesspolicy.xml are not fetched;
 * - only response headers are read for CSP and Referrer-Policy: `<meta http-equiv>` policies in
 *   the body are not considered (this framework sends its policies as headers);
 * - "similar origin" for SRI means the same host or a parent/sub-domain of it (no public suffix list).
 * The minimum score is 0, as on the Observatory.
 */

/** The Origin the Observatory sends; CORS reflection is checked against it. */
export const OBSERVATORY_ORIGIN = 'https://http-observatory.security.mozilla.org';

/**
 * Mozilla HTTP Observatory's v6 score table: every expectation its header tests can return, with
 * the score modifier and the description it publishes. Kept here verbatim as data so that the
 * grader works from a fresh clone.
 */
export const OBSERVATORY_EXPECTATIONS = {
  CspImplementedWithNoUnsafeDefaultSrcNone: {
    modifier: 10,
    description:
      "Content Security Policy (CSP) implemented with default-src 'none', no 'unsafe' and form-action is set to 'none' or 'self'",
  },
  CspImplementedWithNoUnsafe: {
    modifier: 5,
    description: "Content Security Policy (CSP) implemented without 'unsafe-inline' or 'unsafe-eval'",
  },
  CspImplementedWithUnsafeInlineInStyleSrcOnly: {
    modifier: 0,
    description:
      "Content Security Policy (CSP) implemented with unsafe sources inside style-src. This includes 'unsafe-inline', data: or overly broad sources such as https. 'form-action' is set to 'self', 'none' or 'specific source'",
  },
  CspImplementedWithInsecureSchemeInPassiveContentOnly: {
    modifier: -10,
    description:
      'Content Security Policy (CSP) implemented, but secure site allows images or media to be loaded over HTTP',
  },
  CspImplementedWithUnsafeEval: {
    modifier: -10,
    description:
      "Content Security Policy (CSP) implemented, but allows 'unsafe-eval' and allows forms to be submitted to any source.",
  },
  CspImplementedWithUnsafeInline: {
    modifier: -20,
    description:
      "Content Security Policy (CSP) implemented unsafely. This includes 'unsafe-inline' or data: inside script-src, overly broad sources such as https: inside object-src or script-src, or not restricting the sources for object-src or script-src.",
  },
  CspImplementedWithInsecureScheme: {
    modifier: -20,
    description: 'Content Security Policy (CSP) implemented, but secure site allows resources to be loaded over HTTP',
  },
  CspHeaderInvalid: {
    modifier: -25,
    description: 'Content Security Policy (CSP) header cannot be parsed successfully',
  },
  CspNotImplemented: { modifier: -25, description: 'Content Security Policy (CSP) header not implemented' },
  CspNotImplementedButReportingEnabled: {
    modifier: -25,
    description:
      'Content Security Policy (CSP) reporting implemented only, with Content-Security-Policy-Report-Only header.',
  },
  CspImplementedButDuplicateDirectives: {
    modifier: 0,
    description: 'Content Security Policy (CSP) implemented, but contains duplicate directives.',
  },
  CookiesSecureWithHttponlySessionsAndSamesite: {
    modifier: 5,
    description:
      'All cookies use the Secure flag, session cookies use the HttpOnly flag, and cross-origin restrictions are in place via the SameSite flag.',
  },
  CookiesSecureWithHttponlySessions: {
    modifier: 0,
    description: 'All cookies use the Secure flag and all session cookies use the HttpOnly flag.',
  },
  CookiesNotFound: { modifier: 0, description: 'No cookies detected' },
  CookiesWithoutSecureFlagButProtectedByHsts: {
    modifier: -5,
    description: 'Cookies set without using the Secure flag, but transmission over HTTP prevented by HSTS.',
  },
  CookiesSessionWithoutSecureFlagButProtectedByHsts: {
    modifier: -10,
    description: 'Session cookie set without the Secure flag, but transmission over HTTP prevented by HSTS.',
  },
  CookiesWithoutSecureFlag: {
    modifier: -20,
    description: 'Cookies set without using the Secure flag or set over HTTP.',
  },
  CookiesSamesiteFlagInvalid: {
    modifier: -20,
    description: 'Cookies use SameSite flag, but set to something other than Strict or Lax',
  },
  CookiesAnticsrfWithoutSamesiteFlag: {
    modifier: -20,
    description: 'Anti-CSRF tokens set without using the SameSite flag.',
  },
  CookiesSessionWithoutHttponlyFlag: {
    modifier: -30,
    description: 'Session cookie set without using the HttpOnly flag.',
  },
  CookiesSessionWithoutSecureFlag: {
    modifier: -40,
    description: 'Session cookie set without using the Secure flag or set over HTTP.',
  },
  CrossOriginResourceSharingNotImplemented: {
    modifier: 0,
    description: 'Content is not visible via cross-origin resource sharing (CORS) files or headers.',
  },
  CrossOriginResourceSharingImplementedWithPublicAccess: {
    modifier: 0,
    description:
      'Public content is visible via cross-origin resource sharing (CORS) Access-Control-Allow-Origin header.',
  },
  CrossOriginResourceSharingImplementedWithRestrictedAccess: {
    modifier: 0,
    description:
      'Content is visible via cross-origin resource sharing (CORS) files or headers, but is restricted to specific domains.',
  },
  CrossOriginResourceSharingImplementedWithUniversalAccess: {
    modifier: -50,
    description:
      'Content is visible via cross-origin resource sharing (CORS) file or headers, and credentials can be sent. Your site could be vulnerable to CSRF attacks.',
  },
  RedirectionAllRedirectsPreloaded: {
    modifier: 0,
    description: 'All hosts redirected to are in the HTTP Strict Transport Security (HSTS) preload list.',
  },
  RedirectionToHttps: {
    modifier: 0,
    description: 'Initial redirection is to HTTPS on same host, final destination is HTTPS',
  },
  RedirectionNotNeededNoHttp: {
    modifier: 0,
    description: 'Not able to connect via HTTP, so no redirection necessary.',
  },
  RedirectionOffHostFromHttp: {
    modifier: -5,
    description: 'Initial redirection from HTTP to HTTPS is to a different host, preventing HSTS.',
  },
  RedirectionNotToHttpsOnInitialRedirection: {
    modifier: -10,
    description: 'Redirects to HTTPS eventually, but initial redirection is to another HTTP URL.',
  },
  RedirectionNotToHttps: { modifier: -20, description: 'Redirects, but final destination is not an HTTPS URL.' },
  RedirectionMissing: { modifier: -20, description: 'Does not redirect to an HTTPS site.' },
  RedirectionInvalidCert: { modifier: -20, description: 'Invalid certificate chain encountered during redirection.' },
  ReferrerPolicyPrivate: {
    modifier: 5,
    description:
      'Referrer-Policy header set to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.',
  },
  ReferrerPolicyNotImplemented: { modifier: 0, description: 'Referrer-Policy header not implemented.' },
  ReferrerPolicyUnsafe: {
    modifier: -5,
    description:
      'Referrer-Policy header set unsafely to origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade.',
  },
  ReferrerPolicyHeaderInvalid: { modifier: -5, description: 'Referrer-Policy header cannot be recognized.' },
  HstsPreloaded: {
    modifier: 5,
    description: 'Preloaded via the HTTP Strict Transport Security (HSTS) preloading process.',
  },
  HstsImplementedMaxAgeAtLeastSixMonths: {
    modifier: 0,
    description: 'Strict-Transport-Security header set to a minimum of six months (15768000).',
  },
  HstsImplementedMaxAgeLessThanSixMonths: {
    modifier: -10,
    description: 'Strict-Transport-Security header set to less than six months (15768000).',
  },
  HstsNotImplemented: { modifier: -20, description: 'Strict-Transport-Security header not implemented.' },
  HstsHeaderInvalid: { modifier: -20, description: 'Strict-Transport-Security header cannot be recognized' },
  HstsNotImplementedNoHttps: {
    modifier: -20,
    description: 'Strict-Transport-Security header cannot be set for sites not available over HTTPS.',
  },
  HstsInvalidCert: {
    modifier: -20,
    description: 'Strict-Transport-Security header cannot be set, as site contains an invalid certificate chain.',
  },
  SriImplementedAndAllScriptsLoadedSecurely: {
    modifier: 5,
    description: 'Subresource Integrity (SRI) is implemented and all scripts are loaded from a similar origin.',
  },
  SriImplementedAndExternalScriptsLoadedSecurely: {
    modifier: 5,
    description: 'Subresource Integrity (SRI) is implemented and all scripts are loaded securely.',
  },
  SriNotImplementedResponseNotHtml: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) is only needed for HTML resources.',
  },
  SriNotImplementedButNoScriptsLoaded: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) is not needed since site contains no script tags.',
  },
  SriNotImplementedButAllScriptsLoadedFromSecureOrigin: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) not implemented, but all scripts are loaded from a similar origin.',
  },
  SriNotImplementedButExternalScriptsLoadedSecurely: {
    modifier: -5,
    description: 'Subresource Integrity (SRI) not implemented, but all external scripts are loaded over HTTPS.',
  },
  SriImplementedButExternalScriptsNotLoadedSecurely: {
    modifier: -20,
    description:
      'Subresource Integrity (SRI) implemented, but external scripts are loaded over HTTP or they use protocol-relative URLs via src="//...".',
  },
  SriNotImplementedAndExternalScriptsNotLoadedSecurely: {
    modifier: -50,
    description:
      'Subresource Integrity (SRI) not implemented, and external scripts are loaded over HTTP or they use protocol-relative URLs via src="//...".',
  },
  XContentTypeOptionsNosniff: { modifier: 0, description: 'X-Content-Type-Options header set to nosniff.' },
  XContentTypeOptionsNotImplemented: { modifier: -5, description: 'X-Content-Type-Options header not implemented.' },
  XContentTypeOptionsHeaderInvalid: {
    modifier: -5,
    description: 'X-Content-Type-Options header cannot be recognized.',
  },
  XFrameOptionsImplementedViaCsp: {
    modifier: 5,
    description: 'X-Frame-Options (XFO) implemented via the CSP frame-ancestors directive.',
  },
  XFrameOptionsSameoriginOrDeny: {
    modifier: 5,
    description: 'X-Frame-Options (XFO) header set to SAMEORIGIN or DENY.',
  },
  XFrameOptionsAllowFromOrigin: {
    modifier: 0,
    description: 'X-Frame-Options (XFO) header uses ALLOW-FROM uri directive.',
  },
  XFrameOptionsNotImplemented: { modifier: -20, description: 'X-Frame-Options (XFO) header not implemented.' },
  XFrameOptionsHeaderInvalid: { modifier: -20, description: 'X-Frame-Options (XFO) header cannot be recognized.' },
  CrossOriginResourcePolicyHeaderInvalid: {
    modifier: -5,
    description: 'Cross-Origin-Resource-Policy (CORP) header cannot be recognized.',
  },
  CrossOriginResourcePolicyImplementedWithCrossOrigin: {
    modifier: 0,
    description:
      'Cross Origin Resource Policy (CORP) implemented, but allows cross-origin resource sharing by default.',
  },
  CrossOriginResourcePolicyImplementedWithSameOrigin: {
    modifier: 10,
    description: 'Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-origin contexts.',
  },
  CrossOriginResourcePolicyImplementedWithSameSite: {
    modifier: 10,
    description: 'Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-site contexts.',
  },
  CrossOriginResourcePolicyNotImplemented: {
    modifier: 0,
    description: 'Cross Origin Resource Policy (CORP) is not implemented (defaults to cross-origin).',
  },
  CoepImplementedWithRequireCorp: {
    modifier: 10,
    description: 'Cross-Origin-Embedder-Policy header set to require-corp, restricting loading cross-origin resources.',
  },
  CoepImplementedWithCredentialless: {
    modifier: 10,
    description:
      'Cross-Origin-Embedder-Policy header set to credentialless, allowing loading cross-origin resources but without sending credentials in the requests.',
  },
  CoepImplementedWithUnsafeNone: {
    modifier: 0,
    description:
      'Cross-Origin-Embedder-Policy header set to unsafe-none, allowing loading cross-origin resources, which is the default value.',
  },
  CoepNotImplemented: { modifier: 0, description: 'Cross-Origin-Embedder-Policy header not implemented.' },
  CoepHeaderInvalid: { modifier: -5, description: 'Cross-Origin-Embedder-Policy header cannot be recognized.' },
  CoopImplementedWithSameOrigin: {
    modifier: 10,
    description: 'Cross-Origin-Opener-Policy header set to same-origin, enforcing site isolation from the opener.',
  },
  CoopImplementedWithSameOriginAllowPopups: {
    modifier: 10,
    description:
      'Cross-Origin-Opener-Policy header set to same-origin-allow-popups, enforcing site isolation from the opener but allowing trusted resources such as for OAuth or payments.',
  },
  CoopImplementedWithNoopenerAllowPopups: {
    modifier: 10,
    description:
      'Cross-Origin-Opener-Policy header set to noopener-allow-popups, enforcing site isolation from the opener even if they are same origin.',
  },
  CoopImplementedWithUnsafeNone: {
    modifier: 0,
    description:
      'Cross-Origin-Opener-Policy header set to unsafe-none, the document permits sharing its browsing context group with any other document, and may therefore be unsafe.',
  },
  CoopNotImplemented: { modifier: 0, description: 'Cross-Origin-Opener-Policy header not implemented.' },
  CoopHeaderInvalid: { modifier: -5, description: 'Cross-Origin-Opener-Policy header cannot be recognized.' },
  HtmlNotParseable: { modifier: -20, description: 'Claims to be html, but cannot be parsed.' },
} as const satisfies Record<string, { readonly modifier: number; readonly description: string }>;

export type Expectation = keyof typeof OBSERVATORY_EXPECTATIONS;

export type ObservatoryTest =
  | 'content-security-policy'
  | 'cookies'
  | 'cross-origin-resource-sharing'
  | 'redirection'
  | 'referrer-policy'
  | 'strict-transport-security'
  | 'subresource-integrity'
  | 'x-content-type-options'
  | 'x-frame-options'
  | 'cross-origin-resource-policy'
  | 'cross-origin-opener-policy'
  | 'cross-origin-embedder-policy';

/** Header values as Node and Fastify's inject() report them (numbers included, e.g. content-length). */
export type GradedHeaders = Record<string, string | readonly string[] | number | undefined>;

export interface GradedResponse {
  /** Where the response was served, as if over HTTPS: https://host/path */
  url: string;
  status: number;
  headers: GradedHeaders;
  body: string;
}

export interface TestResult {
  test: ObservatoryTest;
  expectation: Expectation;
  modifier: number;
  description: string;
}

export interface Grade {
  score: number;
  grade: string;
  results: TestResult[];
}

export interface GradeOptions {
  /**
   * What plain HTTP does for this host, which an offline grader cannot observe: redirect to
   * HTTPS on the same host (the default) or not listen on HTTP at all.
   */
  httpRedirect?: 'none' | 'to-https-same-host';
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

const GRADES: ReadonlyArray<readonly [number, string]> = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
];

export function letterGrade(score: number): string {
  return GRADES.find(([floor]) => score >= floor)?.[1] ?? 'F';
}

/**
 * The Observatory's curve: penalties always count; bonuses count only when the score with
 * penalties alone (the "uncurved" score) is at least 90. Never below 0.
 */
export function scoreResults(results: readonly Pick<TestResult, 'modifier'>[]): number {
  const penalties = results.reduce((sum, r) => sum + Math.min(0, r.modifier), 0);
  const uncurved = 100 + penalties;
  const score = uncurved >= 90 ? 100 + results.reduce((sum, r) => sum + r.modifier, 0) : uncurved;
  return Math.max(0, score);
}

function result(test: ObservatoryTest, expectation: Expectation): TestResult {
  const { modifier, description } = OBSERVATORY_EXPECTATIONS[expectation];
  return { test, expectation, modifier, description };
}

export function gradeResponse(response: GradedResponse, options: GradeOptions = {}): Grade {
  const page = new URL(response.url);
  if (page.protocol !== 'https:') {
    throw new TypeError(`gradeResponse grades a response as served over HTTPS; got ${response.url}`);
  }
  const headers = normalizeHeaders(response.headers);
  const csp = parseCspHeaders(headers.get('content-security-policy') ?? []);
  const hsts = hstsExpectation(headers.get('strict-transport-security'));

  const results: TestResult[] = [
    result('content-security-policy', cspExpectation(csp, headers.has('content-security-policy-report-only'))),
    result(
      'cookies',
      cookiesExpectation(headers.get('set-cookie') ?? [], hsts === 'HstsImplementedMaxAgeAtLeastSixMonths'),
    ),
    result('cross-origin-resource-sharing', corsExpectation(headers)),
    result(
      'redirection',
      (options.httpRedirect ?? 'to-https-same-host') === 'none' ? 'RedirectionNotNeededNoHttp' : 'RedirectionToHttps',
    ),
    result('referrer-policy', referrerPolicyExpectation(headers.get('referrer-policy'))),
    result('strict-transport-security', hsts),
    result('subresource-integrity', sriExpectation(headers.get('content-type'), response.body, page)),
    result('x-content-type-options', xContentTypeOptionsExpectation(headers.get('x-content-type-options'))),
    result('x-frame-options', xFrameOptionsExpectation(headers.get('x-frame-options'), csp)),
    result('cross-origin-resource-policy', corpExpectation(headers.get('cross-origin-resource-policy'))),
    result('cross-origin-opener-policy', coopExpectation(headers.get('cross-origin-opener-policy'))),
    result('cross-origin-embedder-policy', coepExpectation(headers.get('cross-origin-embedder-policy'))),
  ];
  const score = scoreResults(results);
  return { score, grade: letterGrade(score), results };
}

/**
 * Zero-modifier outcomes that are full marks in their situation (nothing to gain offline). Any
 * other zero is printed by formatGrade, because a bonus was available there.
 */
const FULL_MARKS_AT_ZERO: ReadonlySet<Expectation> = new Set<Expectation>([
  'CookiesNotFound',
  'CrossOriginResourceSharingNotImplemented',
  'CrossOriginResourceSharingImplementedWithRestrictedAccess',
  'RedirectionAllRedirectsPreloaded',
  'RedirectionToHttps',
  'RedirectionNotNeededNoHttp',
  'HstsImplementedMaxAgeAtLeastSixMonths',
  'SriNotImplementedResponseNotHtml',
  'SriNotImplementedButNoScriptsLoaded',
  'XContentTypeOptionsNosniff',
]);

/**
 * One line with the score and grade, then one line per result that moved the score or left a
 * bonus on the table.
 */
export function formatGrade(url: string, grade: Grade): string {
  const penalties = grade.results.reduce((sum, r) => sum + Math.min(0, r.modifier), 0);
  const bonuses = grade.results.reduce((sum, r) => sum + Math.max(0, r.modifier), 0);
  const curveNote =
    100 + penalties < 90 && bonuses > 0
      ? ` (bonuses of +${bonuses} not counted: ${100 + penalties} before bonuses is below 90)`
      : '';
  const lines = [`${url}: ${grade.score} ${grade.grade}${curveNote}`];
  for (const r of grade.results) {
    if (r.modifier === 0 && FULL_MARKS_AT_ZERO.has(r.expectation)) continue;
    const modifier = (r.modifier > 0 ? `+${r.modifier}` : String(r.modifier)).padStart(4);
    lines.push(`  ${modifier}  ${r.test}: ${r.expectation} (${r.description})`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/** Lower-cased names; each entry is one header line as received. */
function normalizeHeaders(headers: GradedHeaders): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' || typeof value === 'number' ? [String(value)] : [...value];
    const key = name.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), ...values]);
  }
  return map;
}

/** The comma-separated items of every line of a list-valued header, trimmed. */
function listItems(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((item) => item.trim());
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy
// ---------------------------------------------------------------------------------------------

type SourceList = readonly string[];

interface CspPolicy {
  /** Directive name → its source expressions, lower-cased except nonce and hash values. */
  readonly directives: ReadonlyMap<string, SourceList>;
  /** Directives that appeared more than once (browsers keep the first). */
  readonly duplicates: readonly string[];
}

interface ParsedCsp {
  /** Enforced policies: each header line, and each comma-separated policy in it, is one. */
  readonly policies: readonly CspPolicy[];
  /** Set when a policy cannot be parsed; `policies` is then empty. */
  readonly invalid?: string;
}

const DIRECTIVE_NAME = /^[a-z0-9-]+$/;
/** Visible ASCII without the characters that delimit directives and policies. */
const SOURCE_EXPRESSION = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+$/;

function parseCspHeaders(values: readonly string[]): ParsedCsp {
  if (values.length === 0) return { policies: [] };
  const texts = values.flatMap((v) => v.split(',')).filter((text) => text.trim() !== '');
  if (texts.length === 0) return { policies: [], invalid: 'the header is empty' };
  const policies: CspPolicy[] = [];
  for (const text of texts) {
    const directives = new Map<string, SourceList>();
    const duplicates: string[] = [];
    for (const part of text.split(';')) {
      const tokens = part
        .trim()
        .split(/[\t\n\f\r ]+/)
        .filter(Boolean);
      const [rawName, ...sources] = tokens;
      if (rawName === undefined) continue;
      const name = rawName.toLowerCase();
      if (!DIRECTIVE_NAME.test(name))
        return { policies: [], invalid: `malformed directive name ${JSON.stringify(rawName)}` };
      for (const source of sources) {
        const quotedBadly = source.startsWith("'") !== source.endsWith("'") || source === "'";
        if (!SOURCE_EXPRESSION.test(source) || quotedBadly) {
          return { policies: [], invalid: `malformed source ${JSON.stringify(source)} in ${name}` };
        }
      }
      if (directives.has(name)) duplicates.push(name);
      else directives.set(name, sources.map(normalizeSource));
    }
    if (directives.size === 0) return { policies: [], invalid: 'a policy has no directives' };
    policies.push({ directives, duplicates });
  }
  return { policies };
}

function normalizeSource(source: string): string {
  const lower = source.toLowerCase();
  // Nonce and hash values are case-sensitive base64; only their prefix is not.
  return /^'(nonce|sha256|sha384|sha512)-/.test(lower)
    ? lower.slice(0, lower.indexOf('-') + 1) + source.slice(lower.indexOf('-') + 1)
    : lower;
}

/** Which directives a fetch directive falls back to when absent (CSP Level 3). */
const FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  'script-src': ['script-src', 'default-src'],
  'script-src-elem': ['script-src-elem', 'script-src', 'default-src'],
  'script-src-attr': ['script-src-attr', 'script-src', 'default-src'],
  'style-src': ['style-src', 'default-src'],
  'style-src-elem': ['style-src-elem', 'style-src', 'default-src'],
  'style-src-attr': ['style-src-attr', 'style-src', 'default-src'],
  'object-src': ['object-src', 'default-src'],
  'img-src': ['img-src', 'default-src'],
  'media-src': ['media-src', 'default-src'],
  'connect-src': ['connect-src', 'default-src'],
  'font-src': ['font-src', 'default-src'],
  'manifest-src': ['manifest-src', 'default-src'],
  'frame-src': ['frame-src', 'child-src', 'default-src'],
  'worker-src': ['worker-src', 'child-src', 'script-src', 'default-src'],
};

/** The source list that governs a directive in one policy; undefined when nothing restricts it. */
function effective(policy: CspPolicy, directive: string): SourceList | undefined {
  for (const name of FALLBACKS[directive] ?? [directive]) {
    const list = policy.directives.get(name);
    if (list) return list;
  }
  return undefined;
}

const SCRIPT_DIRECTIVES = ['script-src', 'script-src-elem', 'script-src-attr'];
const STYLE_DIRECTIVES = ['style-src', 'style-src-elem', 'style-src-attr'];
/** Where an http: source lets a secure page load active content. */
const ACTIVE_DIRECTIVES = [
  ...SCRIPT_DIRECTIVES,
  ...STYLE_DIRECTIVES,
  'object-src',
  'connect-src',
  'font-src',
  'frame-src',
  'worker-src',
  'manifest-src',
];
const PASSIVE_DIRECTIVES = ['img-src', 'media-src'];

const has = (list: SourceList, keyword: string) => list.includes(`'${keyword}'`);
const hasNonceOrHash = (list: SourceList) => list.some((s) => /^'(nonce|sha256|sha384|sha512)-/.test(s));
/** An empty list, or 'none' alone, matches nothing ('report-sample' only adds reporting). */
const isNone = (list: SourceList) => {
  const sources = list.filter((s) => s !== "'report-sample'");
  return sources.length === 0 || (sources.length === 1 && sources[0] === "'none'");
};
/** Sources matching any host: `*`, a scheme alone (https:, data:…), or a `*` host. */
const isBroad = (source: string) =>
  source === '*' ||
  /^[a-z][a-z0-9+.-]*:$/.test(source) ||
  /^([a-z][a-z0-9+.-]*:\/\/)?\*(:(\*|\d+))?(\/.*)?$/.test(source);
const isInsecureScheme = (source: string) => /^(http|ws|ftp):(\/\/|$)/.test(source);
/** With a nonce or hash, 'strict-dynamic' makes browsers ignore host and scheme sources, 'self' and 'unsafe-inline'. */
const isStrictDynamic = (list: SourceList) => has(list, 'strict-dynamic') && hasNonceOrHash(list);

/** Inline script, data: or arbitrary hosts can run (unrestricted counts as allowing everything). */
function scriptsUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  if (isNone(list)) return false;
  // 'unsafe-inline' is ignored by browsers when a nonce or hash is present.
  if (has(list, 'unsafe-inline') && !hasNonceOrHash(list)) return true;
  if (isStrictDynamic(list)) return false;
  return list.some(isBroad);
}

function objectsUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  return !isNone(list) && list.some(isBroad);
}

function stylesUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  if (isNone(list)) return false;
  if (has(list, 'unsafe-inline') && !hasNonceOrHash(list)) return true;
  return list.some(isBroad);
}

function allowsInsecureScheme(directive: string, list: SourceList): boolean {
  if (SCRIPT_DIRECTIVES.includes(directive) && isStrictDynamic(list)) return false;
  return !isNone(list) && list.some(isInsecureScheme);
}

/**
 * Browsers enforce every policy, so something is allowed only when each policy allows it: a
 * check holds for the whole set when it holds for every policy.
 */
function allPolicies(csp: ParsedCsp, check: (policy: CspPolicy) => boolean): boolean {
  return csp.policies.length > 0 && csp.policies.every(check);
}

/** Some policy restricts the directive, and every restricting policy lets http: through. */
function insecureIn(csp: ParsedCsp, directives: readonly string[]): boolean {
  return directives.some(
    (d) =>
      csp.policies.some((p) => effective(p, d) !== undefined) &&
      csp.policies.every((p) => {
        const list = effective(p, d);
        return list === undefined || allowsInsecureScheme(d, list);
      }),
  );
}

function cspExpectation(csp: ParsedCsp, reportOnly: boolean): Expectation {
  if (csp.invalid) return 'CspHeaderInvalid';
  if (csp.policies.length === 0) return reportOnly ? 'CspNotImplementedButReportingEnabled' : 'CspNotImplemented';
  // 'strict-dynamic' without a nonce or hash blocks every script: the policy cannot be what was meant.
  const strictDynamicAlone = csp.policies.some((p) => {
    const list = effective(p, 'script-src');
    return list !== undefined && has(list, 'strict-dynamic') && !hasNonceOrHash(list);
  });
  if (strictDynamicAlone) return 'CspHeaderInvalid';

  // Precedence follows the Observatory: the first problem found wins.
  const unsafeScripts =
    SCRIPT_DIRECTIVES.some((d) => allPolicies(csp, (p) => scriptsUnsafe(effective(p, d)))) ||
    allPolicies(csp, (p) => objectsUnsafe(effective(p, 'object-src')));
  if (unsafeScripts) return 'CspImplementedWithUnsafeInline';
  if (allPolicies(csp, (p) => has(effective(p, 'script-src') ?? ["'unsafe-eval'"], 'unsafe-eval')))
    return 'CspImplementedWithUnsafeEval';
  if (insecureIn(csp, ACTIVE_DIRECTIVES)) return 'CspImplementedWithInsecureScheme';
  if (insecureIn(csp, PASSIVE_DIRECTIVES)) return 'CspImplementedWithInsecureSchemeInPassiveContentOnly';

  const duplicates = csp.policies.some((p) => p.duplicates.length > 0);
  // Duplicated directives leave the author's intent ambiguous: no bonus, whatever the first copy says.
  if (duplicates) return 'CspImplementedButDuplicateDirectives';
  if (STYLE_DIRECTIVES.some((d) => allPolicies(csp, (p) => stylesUnsafe(effective(p, d))))) {
    return 'CspImplementedWithUnsafeInlineInStyleSrcOnly';
  }
  // One policy with default-src 'none' (or a tight form-action) is enough: the intersection is as tight.
  const defaultNone = csp.policies.some((p) => {
    const list = p.directives.get('default-src');
    return list !== undefined && isNone(list);
  });
  const formActionTight = csp.policies.some((p) => {
    const list = p.directives.get('form-action');
    return (
      list !== undefined && (isNone(list) || list.filter((s) => s !== "'report-sample'").every((s) => s === "'self'"))
    );
  });
  return defaultNone && formActionTight ? 'CspImplementedWithNoUnsafeDefaultSrcNone' : 'CspImplementedWithNoUnsafe';
}

// ---------------------------------------------------------------------------------------------
// Cookies
// ---------------------------------------------------------------------------------------------

interface Cookie {
  readonly name: string;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  /** Lower-cased; '' when the attribute has no value, undefined when absent. */
  readonly sameSite: string | undefined;
}

/** Several cookies folded into one line are split at commas that start a new `name=` (not inside Expires). */
function splitSetCookie(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(/,(?=\s*[^;,=\s]+=)/)).filter((line) => line.trim() !== '');
}

function parseCookie(line: string): Cookie {
  const [pair = '', ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  const name = (eq === -1 ? '' : pair.slice(0, eq)).trim();
  let secure = false;
  let httpOnly = false;
  let sameSite: string | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at === -1 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : attribute.slice(at + 1).trim();
    if (key === 'secure') secure = true;
    else if (key === 'httponly') httpOnly = true;
    else if (key === 'samesite') sameSite = value.toLowerCase();
  }
  return { name, secure, httpOnly, sameSite };
}

const isSessionCookie = (c: Cookie) => /sess|login/i.test(c.name);
const isAntiCsrfCookie = (c: Cookie) => /csrf|xsrf/i.test(c.name);
/** Strict and Lax restrict cross-site sending; None is valid only with Secure (browsers reject it otherwise). */
const sameSiteValid = (c: Cookie) =>
  c.sameSite === 'strict' || c.sameSite === 'lax' || (c.sameSite === 'none' && c.secure);

function cookiesExpectation(values: readonly string[], protectedByHsts: boolean): Expectation {
  const cookies = splitSetCookie(values).map(parseCookie);
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

// ---------------------------------------------------------------------------------------------
// CORS, Referrer-Policy, HSTS, X-Content-Type-Options, X-Frame-Options
// ---------------------------------------------------------------------------------------------

function corsExpectation(headers: ReadonlyMap<string, string[]>): Expectation {
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

function referrerPolicyExpectation(values: readonly string[] | undefined): Expectation {
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

type HstsExpectation = Extract<Expectation, `Hsts${string}`>;

function hstsExpectation(values: readonly string[] | undefined): HstsExpectation {
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

function xContentTypeOptionsExpectation(values: readonly string[] | undefined): Expectation {
  if (!values) return 'XContentTypeOptionsNotImplemented';
  // As the Fetch standard does, only the first item of the combined value counts.
  return listItems(values)[0]?.toLowerCase() === 'nosniff'
    ? 'XContentTypeOptionsNosniff'
    : 'XContentTypeOptionsHeaderInvalid';
}

function xFrameOptionsExpectation(values: readonly string[] | undefined, csp: ParsedCsp): Expectation {
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

// ---------------------------------------------------------------------------------------------
// CORP, COOP, COEP
// ---------------------------------------------------------------------------------------------

/** A single token, parameters (`; report-to="…"`) dropped; undefined for a missing or repeated header. */
function policyToken(values: readonly string[]): string | undefined {
  const items = listItems(values);
  if (items.length !== 1) return undefined;
  return items[0]!.split(';')[0]!.trim().toLowerCase();
}

function corpExpectation(values: readonly string[] | undefined): Expectation {
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

function coopExpectation(values: readonly string[] | undefined): Expectation {
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

function coepExpectation(values: readonly string[] | undefined): Expectation {
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

// ---------------------------------------------------------------------------------------------
// Subresource Integrity
// ---------------------------------------------------------------------------------------------

function isHtml(contentType: readonly string[] | undefined): boolean {
  const essence = contentType?.[0]?.split(';')[0]?.trim().toLowerCase();
  return essence === 'text/html' || essence === 'application/xhtml+xml';
}

/** Script types that execute (HTML's JavaScript MIME types, plus module); anything else is a data block. */
const JAVASCRIPT_TYPES = new Set([
  '',
  'module',
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/** Elements whose content is text, not markup: a `<script` inside them is not a tag. */
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(lower.slice(2), 16), 0x10ffff));
    if (lower.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(lower.slice(1), 10), 0x10ffff));
    return ENTITIES[lower] ?? whole;
  });
}

/**
 * The attributes of every `<script>` start tag, found with a small tokenizer that skips comments,
 * quoted attribute values and the text content of raw-text elements.
 */
export function scriptTags(html: string): Record<string, string>[] {
  const scripts: Record<string, string>[] = [];
  const length = html.length;
  let i = 0;
  while (i < length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? length : end + 3;
      continue;
    }
    const nameMatch = /<([a-zA-Z][a-zA-Z0-9-]*)/y;
    nameMatch.lastIndex = lt;
    const found = nameMatch.exec(html);
    if (!found) {
      i = lt + 1;
      continue;
    }
    const tag = found[1]!.toLowerCase();
    const attributes: Record<string, string> = {};
    i = nameMatch.lastIndex;
    while (i < length) {
      while (i < length && /[\s/]/.test(html[i]!)) i++;
      if (i >= length) break;
      if (html[i] === '>') {
        i++;
        break;
      }
      const nameStart = i;
      i++; // an attribute name has at least one character, even '=' or a quote
      while (i < length && !/[\s/>=]/.test(html[i]!)) i++;
      const name = html.slice(nameStart, i).toLowerCase();
      let value = '';
      let j = i;
      while (j < length && /\s/.test(html[j]!)) j++;
      if (html[j] === '=') {
        j++;
        while (j < length && /\s/.test(html[j]!)) j++;
        const quote = html[j];
        if (quote === '"' || quote === "'") {
          const close = html.indexOf(quote, j + 1);
          const end = close === -1 ? length : close;
          value = html.slice(j + 1, end);
          j = end + 1;
        } else {
          const start = j;
          while (j < length && !/[\s>]/.test(html[j]!)) j++;
          value = html.slice(start, j);
        }
        i = j;
      }
      // The first occurrence of an attribute wins, as in HTML.
      if (!(name in attributes)) attributes[name] = decodeEntities(value);
    }
    if (tag === 'script') scripts.push(attributes);
    if (tag === 'plaintext') break;
    if (RAW_TEXT_ELEMENTS.has(tag)) {
      const close = new RegExp(`</${tag}[\\s/>]`, 'ig');
      close.lastIndex = i;
      const end = close.exec(html);
      i = end ? end.index : length;
    }
  }
  return scripts;
}

/** Same host, or one is a subdomain of the other. */
function similarHost(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

const INTEGRITY_TOKEN = /^sha(256|384|512)-[A-Za-z0-9+/_-]+={0,2}(\?.*)?$/i;

interface LoadedScript {
  readonly secure: boolean;
  readonly similarOrigin: boolean;
  readonly integrity: boolean;
}

function sriExpectation(contentType: readonly string[] | undefined, body: string, page: URL): Expectation {
  if (!isHtml(contentType)) return 'SriNotImplementedResponseNotHtml';
  if (body.trim() === '') return 'HtmlNotParseable';
  const loaded: LoadedScript[] = [];
  for (const attributes of scriptTags(body)) {
    const type = (attributes.type ?? '').split(';')[0]!.trim().toLowerCase();
    const src = (attributes.src ?? '').trim();
    // Data blocks (application/json…), import maps and inline scripts load nothing.
    if (!JAVASCRIPT_TYPES.has(type) || src === '') continue;
    let url: URL;
    try {
      url = new URL(src, page);
    } catch {
      continue; // a browser cannot fetch it either
    }
    const similarOrigin = url.protocol === 'https:' && similarHost(url.hostname, page.hostname);
    // Protocol-relative (//host/…) sources to other hosts count as insecure, as the table says.
    const protocolRelative = /^[/\\]{2}/.test(src);
    const secure = url.protocol === 'https:' && !(protocolRelative && !similarOrigin);
    const integrity = (attributes.integrity ?? '')
      .trim()
      .split(/\s+/)
      .some((token) => INTEGRITY_TOKEN.test(token));
    loaded.push({ secure, similarOrigin, integrity });
  }
  if (loaded.length === 0) return 'SriNotImplementedButNoScriptsLoaded';
  const insecure = loaded.filter((s) => !s.secure);
  if (insecure.length > 0) {
    return insecure.every((s) => s.integrity)
      ? 'SriImplementedButExternalScriptsNotLoadedSecurely'
      : 'SriNotImplementedAndExternalScriptsNotLoadedSecurely';
  }
  if (loaded.every((s) => s.integrity)) {
    return loaded.every((s) => s.similarOrigin)
      ? 'SriImplementedAndAllScriptsLoadedSecurely'
      : 'SriImplementedAndExternalScriptsLoadedSecurely';
  }
  return loaded.every((s) => s.integrity || s.similarOrigin)
    ? 'SriNotImplementedButAllScriptsLoadedFromSecureOrigin'
    : 'SriNotImplementedButExternalScriptsLoadedSecurely';
}
