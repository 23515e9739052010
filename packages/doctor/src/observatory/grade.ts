import { cookiesExpectation } from './cookies.js';
import { cspExpectation, parseCspHeaders } from './csp.js';
import { OBSERVATORY_EXPECTATIONS, type Expectation, type ObservatoryTest } from './expectations.js';
import { normalizeHeaders, type GradedHeaders } from './headers.js';
import {
  coepExpectation,
  coopExpectation,
  corpExpectation,
  corsExpectation,
  hstsExpectation,
  referrerPolicyExpectation,
  xContentTypeOptionsExpectation,
  xFrameOptionsExpectation,
} from './policy-headers.js';
import { sriExpectation } from './sri.js';

/**
 * An offline grader for HTTP responses using the header rules of Mozilla's HTTP Observatory
 * (scoring algorithm v6). Give it one response as a browser on HTTPS would get it and it picks
 * one expectation per test, scores them with the Observatory's curve and assigns the letter grade.
 *
 * This is our own implementation, written from the Observatory's published score table and test
 * descriptions. What an offline grader cannot see it states as an assumption:
 * - the page is served over HTTPS with a valid certificate (`url` must be https://);
 * - the HTTP→HTTPS redirection is described by `options.httpRedirect` (the doctor observes it and passes it in);
 * - the HSTS preload list is not consulted, so `HstsPreloaded` (+5) is never awarded;
 * - CORS is judged from the response to a request carrying `Origin: https://http-observatory.security.mozilla.org`,
 *   and crossdomain.xml / clientaccesspolicy.xml are not fetched;
 * - only response headers are read for CSP and Referrer-Policy: `<meta http-equiv>` policies in
 *   the body are not considered (this framework sends its policies as headers);
 * - "similar origin" for SRI means the same host or a parent/sub-domain of it (no public suffix list).
 * The minimum score is 0, as on the Observatory.
 */

export type { GradedHeaders };

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
   * What plain HTTP does for this host, which a grader of one response cannot observe: redirect
   * to HTTPS on the same host (the default), not listen on HTTP at all, or any redirection outcome
   * observed by other means.
   */
  httpRedirect?: 'none' | 'to-https-same-host' | RedirectionExpectation;
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

/** Every letter, best first. */
export const LETTER_GRADES: readonly string[] = [...GRADES.map(([, letter]) => letter), 'F'];

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

export type RedirectionExpectation = Extract<Expectation, `Redirection${string}`>;

function redirectionExpectation(redirect: NonNullable<GradeOptions['httpRedirect']>): RedirectionExpectation {
  if (redirect === 'none') return 'RedirectionNotNeededNoHttp';
  if (redirect === 'to-https-same-host') return 'RedirectionToHttps';
  return redirect;
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
    result('redirection', redirectionExpectation(options.httpRedirect ?? 'to-https-same-host')),
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
