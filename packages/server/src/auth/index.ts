/**
 * `@composable-svelte/server/auth`: passwords, sessions, authorization, abuse limits and the audit
 * log. `createServer({ auth: {} })` registers the plugin; an app includes the tables by
 * re-exporting them from its own Drizzle schema.
 */
import './fastify-types.js';

export { users, sessions, loginAttempts, auditEvents } from './schema.js';
export type { User, Session, AuditEventRow } from './schema.js';
export type { Viewer, Principal, Authenticator } from './principal.js';
export {
  hashPassword,
  verifyPassword,
  hashNeedsUpdate,
  DEFAULT_PASSWORD_PARAMS,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
} from './password.js';
export type { PasswordHashParams, PasswordCheck } from './password.js';
export { checkPasswordStrength } from './password-strength.js';
export type { PasswordStrength } from './password-strength.js';
export { generateSessionToken, sessionIdOf } from './session-token.js';
export { createSessionStore } from './session-store.js';
export type { SessionStore, SessionStoreOptions, SessionInfo } from './session-store.js';
export { createSessionCache, SESSION_INVALIDATION_CHANNEL } from './session-cache.js';
export type { SessionCache, CachedSession } from './session-cache.js';
export {
  SESSION_COOKIE_NAME,
  SESSION_COOKIE_NAME_PLAIN_HTTP,
  FLASH_COOKIE_NAME,
  FLASH_COOKIE_NAME_PLAIN_HTTP,
  secureCookies,
} from './cookies.js';
export { safeNext } from './safe-next.js';
export { describeDevice } from './device.js';
export { anyone, signedIn, hasRole, hasScopes, allOf, anyOf, guardFor } from './guards.js';
export type { Guard, GuardContext, GuardDecision, AuthRequirement } from './guards.js';
export { audit, requestOrigin } from './audit.js';
export type { AuditEvent, AuditEventType } from './audit.js';
export { INVALID_CREDENTIALS_MESSAGE, invalidCredentials, TooManyAttemptsError } from './auth-errors.js';
export { accountKeyOf, createLoginThrottle } from './login-throttle.js';
export { authPlugin } from './auth-plugin.js';
export { purgeExpiredAuth, authPurgeJob, AUTH_PURGE_JOB, AUTH_PURGE_CRON } from './purge-expired.js';
export type { PurgedAuthRows } from './purge-expired.js';
export type { AuthPluginOptions } from './auth-plugin.js';
export type {
  AuthService,
  FlashMessage,
  ListedSession,
  SignUpInput,
  LogInInput,
  ChangePasswordInput,
} from './auth-service.js';
export * from './tokens/index.js';
// OAuth sign-in: everything but its own safeNext (the one above is the same rule, checked by the parser).
export {
  oauthAccounts,
  oauthRoutes,
  providersFromConfig,
  createGitHubProvider,
  createOidcProvider,
  resolveAccount,
  OAUTH_FLOW_COOKIE,
  OAUTH_FLOW_COOKIE_PLAIN_HTTP,
  OAUTH_FLOW_TTL_S,
} from './oauth/index.js';
export type {
  OAuthAccount,
  OAuthRoutesOptions,
  GitHubProviderOptions,
  OidcProviderOptions,
  OAuthProvider,
  ProviderIdentity,
  AuthorizationAttempt,
  ResolvedAccount,
  AccountEvent,
  AuditSink,
} from './oauth/index.js';
export * from './reset/index.js';
