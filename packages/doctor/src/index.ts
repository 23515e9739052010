export {
  gradeResponse,
  formatGrade,
  letterGrade,
  scoreResults,
  LETTER_GRADES,
  type Grade,
  type GradedResponse,
  type GradedHeaders,
  type GradeOptions,
  type RedirectionExpectation,
  type TestResult,
} from './observatory/grade.js';
export {
  OBSERVATORY_EXPECTATIONS,
  OBSERVATORY_ORIGIN,
  type Expectation,
  type ObservatoryTest,
} from './observatory/expectations.js';
export { HSTS_MIN_MAX_AGE } from './observatory/policy-headers.js';
export { scriptTags, pageAssets, type PageAssets } from './observatory/html.js';
export { parseSetCookies, type SetCookie } from './observatory/cookies.js';
export { audit, summarize, type AuditOptions, type AuditReport } from './audit/audit.js';
export { AuditError, collectEvidence, type CollectOptions } from './audit/collect.js';
export { evaluate } from './audit/evaluate.js';
export type {
  AssetEvidence,
  CheckOptions,
  CheckResult,
  CheckStatus,
  Evidence,
  HttpRedirectEvidence,
} from './audit/evidence.js';
export type { ObservedResponse } from './audit/observed.js';
export { formatReport } from './audit/format.js';
export { runCli, USAGE, EXIT_OK, EXIT_CHECKS_FAILED, EXIT_USAGE, type CliIo } from './run-cli.js';
