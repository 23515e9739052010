import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from '../../config/load-config.js';
import type { Db } from '../../db/open-database.js';
import type { Authenticator, Viewer } from '../principal.js';
import { createAccessTokens, type AccessTokens } from './access-tokens.js';
import { createApiKeys, type ApiKeys } from './api-keys.js';
import type { Audit } from './audit.js';
import { createBearerAuthenticator } from './bearer-authenticator.js';
import { createKeySealer } from './key-encryption.js';
import { createRefreshTokens, type RefreshTokens } from './refresh-tokens.js';
import type { AllowedScopes } from './scopes.js';
import { createSigningKeys, type SigningKeys } from './signing-keys.js';

/** The `authTokens` settings (AUTH_TOKEN_* and friends, see docs/configuration.md). */
export type AuthTokensSettings = ServerConfig['authTokens'];

export interface TokenServicesOptions {
  /** The database; a function so the plugin can be registered before the database is opened. */
  readonly db: () => Db<Record<string, unknown>>;
  readonly settings: AuthTokensSettings;
  /** Checks an e-mail and password (Argon2id, same time for unknown addresses); undefined when they do not match. */
  readonly verifyCredentials: (email: string, password: string) => Promise<Viewer | undefined>;
  readonly audit?: Audit;
  /** Which scopes a viewer may be granted; default: every scope in `settings.scopes`. */
  readonly allowedScopes?: AllowedScopes;
  /** Per-IP limit on the token endpoints; false: none. */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number } | false;
  /** How long a process caches the signing key set (default 30 s). */
  readonly keyCacheTtlMs?: number;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  readonly log?: FastifyBaseLogger;
}

export interface TokenServices {
  readonly settings: AuthTokensSettings;
  readonly db: () => Db<Record<string, unknown>>;
  readonly signingKeys: SigningKeys;
  readonly accessTokens: AccessTokens;
  readonly refreshTokens: RefreshTokens;
  readonly apiKeys: ApiKeys;
  /** Bearer access tokens and API keys, for the principal resolver's list of authenticators. */
  readonly authenticate: Authenticator;
  readonly verifyCredentials: TokenServicesOptions['verifyCredentials'];
  /** Never throws: an audit sink failing must not turn a sign-in into a 500. */
  readonly audit: Audit;
  readonly allowedScopes: AllowedScopes;
  readonly rateLimit: { readonly max: number; readonly windowMs: number } | false;
}

/** Everything the token and API key routes use, built from one set of options; usable without Fastify. */
export function createTokenServices(options: TokenServicesOptions): TokenServices {
  const { settings, db, now, log } = options;
  const signingKeys = createSigningKeys({
    db,
    sealer: createKeySealer(settings.signingKeySecret),
    rotationMs: settings.signingKeyRotationS * 1000,
    tokenLifetimeMs: (settings.accessTokenTtlS + settings.clockSkewS) * 1000,
    ...(options.keyCacheTtlMs === undefined ? {} : { cacheTtlMs: options.keyCacheTtlMs }),
    ...(now ? { now } : {}),
    onUnreadableKey: (kid, error) =>
      log?.warn(
        { kid, err: error instanceof Error ? error.message : String(error) },
        'auth tokens: the current signing key cannot be opened with this secret; a new key replaces it',
      ),
  });
  const accessTokens = createAccessTokens({
    keys: signingKeys,
    issuer: settings.issuer,
    audience: settings.audience,
    ttlS: settings.accessTokenTtlS,
    clockSkewS: settings.clockSkewS,
    ...(now ? { now } : {}),
  });
  const refreshTokens = createRefreshTokens({
    db,
    familyTtlMs: settings.refreshFamilyTtlS * 1000,
    ...(now ? { now } : {}),
  });
  const apiKeys = createApiKeys({ db, prefix: settings.apiKeyPrefix, ...(now ? { now } : {}) });
  const sink = options.audit;
  const audit: Audit = async (event) => {
    try {
      await sink?.(event);
    } catch (error) {
      log?.error({ err: error, event: event.type }, 'auth tokens: the audit sink failed');
    }
  };
  return {
    settings,
    db,
    signingKeys,
    accessTokens,
    refreshTokens,
    apiKeys,
    authenticate: createBearerAuthenticator({ accessTokens, apiKeys }),
    verifyCredentials: options.verifyCredentials,
    audit,
    allowedScopes: options.allowedScopes ?? (() => settings.scopes),
    rateLimit: options.rateLimit ?? false,
  };
}
