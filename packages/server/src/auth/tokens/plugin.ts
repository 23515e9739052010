import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiKeyRoutes } from './api-key-routes.js';
import {
  createTokenServices,
  type AuthTokensSettings,
  type TokenServices,
  type TokenServicesOptions,
} from './services.js';
import { tokenRoutes } from './token-routes.js';

export interface AuthTokensOptions extends Omit<TokenServicesOptions, 'settings' | 'rateLimit' | 'log'> {
  /** Default: the server's `config.authTokens` (createServer's); required when Fastify is used alone. */
  readonly settings?: AuthTokensSettings;
  /**
   * Per-IP limit shared by the token endpoints. Default: RATE_LIMIT_FORM_MAX per RATE_LIMIT_WINDOW_MS
   * when the server's rate limiter is on. It needs the `rateLimit` plugin registered first.
   */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number } | false;
  /** The API key management routes (default true); API keys are accepted as bearer credentials either way. */
  readonly apiKeyRoutes?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Access tokens, refresh tokens, API keys and their bearer authenticator (the `authTokens` plugin). */
    authTokens: TokenServices;
  }
}

/**
 * Bearer tokens and API keys: the token endpoints, the JWKS, the API key routes, and
 * `fastify.authTokens.authenticate` for the app's principal resolver. It resolves no principal
 * itself: the resolver (sessions first, then this authenticator) does, so each request is
 * authenticated once, in one place.
 */
async function authTokensPlugin(fastify: FastifyInstance, options: AuthTokensOptions): Promise<void> {
  const serverConfig = fastify.hasDecorator('config') ? fastify.config : undefined;
  const settings = options.settings ?? serverConfig?.authTokens;
  if (!settings) {
    throw new TypeError('authTokens: pass settings (issuer, audience, lifetimes…) when the server has no config');
  }
  const serverLimit =
    serverConfig?.rateLimit.enabled === true && fastify.hasDecorator('rateLimit')
      ? { max: serverConfig.rateLimit.formMax, windowMs: serverConfig.rateLimit.windowMs }
      : false;
  const services = createTokenServices({
    ...options,
    settings,
    rateLimit: options.rateLimit ?? serverLimit,
    log: fastify.log,
  });
  fastify.decorate('authTokens', services);
  await tokenRoutes(fastify, services);
  if (options.apiKeyRoutes !== false) await apiKeyRoutes(fastify, services);
}

export const authTokens = fp(authTokensPlugin, { name: '@composable-svelte/auth-tokens', fastify: '5.x' });
