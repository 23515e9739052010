export { securityHeaders, DEFAULT_CSP, DEFAULT_PERMISSIONS_POLICY } from '../security/headers.js';
export type { CspDirectives, SecurityHeadersOptions } from '../security/headers.js';
export { csrf } from '../security/csrf.js';
export type { CsrfOptions } from '../security/csrf.js';
export { corsPolicy } from '../security/cors.js';
export type { CorsOptions } from '../security/cors.js';
export { requestLimits } from '../security/limits.js';
export type { RequestLimitsOptions } from '../security/limits.js';
export { requestId, requestIdGenerator } from '../security/request-id.js';
export { sanitizeHtml, htmlToText } from '../security/sanitize.js';
export type { SanitizeOptions } from '../security/sanitize.js';
export { rateLimit, RATE_LIMIT_DEFAULTS } from '../security/rate-limit/plugin.js';
export type { RateLimitOptions } from '../security/rate-limit/plugin.js';
export type { RateLimitEvent } from '../security/rate-limit/events.js';
export { RateLimitedError, RateLimitUnavailableError } from '../security/rate-limit/errors.js';
export {
  gradeResponse,
  formatGrade,
  letterGrade,
  scoreResults,
  OBSERVATORY_EXPECTATIONS,
  OBSERVATORY_ORIGIN,
  HSTS_MIN_MAX_AGE,
} from '../security/observatory.js';
export type {
  Grade,
  GradedResponse,
  GradedHeaders,
  GradeOptions,
  TestResult,
  Expectation,
  ObservatoryTest,
} from '../security/observatory.js';
