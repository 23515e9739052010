import { gradeResponse, LETTER_GRADES, type Grade } from '../../observatory/grade.js';
import type { CheckOptions, CheckResult, Evidence } from '../evidence.js';
import { answered, describeResponse, type ObservedResponse } from '../observed.js';
import { observedRedirection } from './transport.js';

/** The grader judges a response as served over HTTPS; a plain-HTTP target is graded as its https twin. */
function asHttps(url: string): string {
  const https = new URL(url);
  https.protocol = 'https:';
  return https.href;
}

export function gradeObserved(evidence: Evidence, response: ObservedResponse): Grade {
  const redirection = observedRedirection(evidence);
  return gradeResponse(
    { url: asHttps(response.url), status: response.status, headers: response.headers, body: response.body },
    redirection ? { httpRedirect: redirection } : {},
  );
}

/** "F (0): content-security-policy CspNotImplemented -25; …" — every penalty named. */
function describeGrade(grade: Grade): string {
  const penalties = grade.results.filter((r) => r.modifier < 0).map((r) => `${r.test} ${r.expectation} ${r.modifier}`);
  return `${grade.grade} (${grade.score})${penalties.length > 0 ? `: ${penalties.join('; ')}` : ''}`;
}

function gradeCheck(
  id: string,
  evidence: Evidence,
  response: ObservedResponse | undefined,
  options: CheckOptions,
  missing: string,
): CheckResult {
  if (!response) return { id, status: 'skip', detail: missing };
  if (!answered(response)) return { id, status: 'fail', detail: `${response.url}: ${describeResponse(response)}` };
  const minGrade = options.minGrade ?? 'A+';
  const grade = gradeObserved(evidence, response);
  const passed = LETTER_GRADES.indexOf(grade.grade) <= LETTER_GRADES.indexOf(minGrade);
  return {
    id,
    status: passed ? 'pass' : 'fail',
    detail: `${describeGrade(grade)} for ${response.status} ${new URL(response.url).pathname}${passed ? '' : ` (below ${minGrade})`}`,
  };
}

/** One Observatory grade per kind of response: page, 404, hashed asset, JSON API and 304. */
export function checkGrades(evidence: Evidence, options: CheckOptions): CheckResult[] {
  const asset = evidence.assets.find((a) => a.kind === 'script') ?? evidence.assets[0];
  return [
    gradeCheck('grade.page', evidence, evidence.page, options, ''),
    ...evidence.extraPages.map((page) =>
      gradeCheck(`grade.page ${new URL(page.url).pathname}`, evidence, page, options, ''),
    ),
    gradeCheck('grade.not-found', evidence, evidence.notFound, options, ''),
    gradeCheck('grade.asset', evidence, asset?.response, options, 'skipped: the page loads no same-origin asset'),
    gradeCheck('grade.api', evidence, evidence.api, options, 'skipped: no --api path given'),
    gradeCheck(
      'grade.not-modified',
      evidence,
      // A 304 tells the browser to use its stored page under these headers: graded with that body.
      evidence.pageRevalidated && { ...evidence.pageRevalidated, body: evidence.page.body },
      options,
      'skipped: the page has no ETag or Last-Modified to revalidate',
    ),
  ];
}
