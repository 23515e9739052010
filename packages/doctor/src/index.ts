export {
  gradeResponse,
  formatGrade,
  letterGrade,
  scoreResults,
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
