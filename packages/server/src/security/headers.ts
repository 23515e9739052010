import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export type CspDirectives = Record<string, readonly string[]>;

/**
 * The strictest policy a server-rendered Svelte app works under: everything from our own origin,
 * nothing inline, nothing framed. Apps add sources per directive rather than loosen the base.
 */
export const DEFAULT_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** Only features a page could plausibly ask for; each is denied to every origin. */
export const DEFAULT_PERMISSIONS_POLICY =
  'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()';

export interface SecurityHeadersOptions {
  /** HSTS is only sent in production: a development server on plain HTTP must stay reachable. */
  readonly production: boolean;
  readonly hstsPreload?: boolean;
  readonly coep?: 'require-corp' | 'credentialless';
  /** Directives that replace the default's, for every route. */
  readonly csp?: CspDirectives;
  /** Directives that replace the app-wide policy's, per route URL as registered (e.g. '/embed/*'). */
  readonly routeCsp?: Readonly<Record<string, CspDirectives>>;
  readonly permissionsPolicy?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route CSP directives, replacing the app-wide ones of the same name. */
    csp?: CspDirectives;
  }
}

function toHelmetDirectives(directives: CspDirectives): Record<string, string[]> {
  return Object.fromEntries(Object.entries(directives).map(([name, sources]) => [name, [...sources]]));
}

async function securityHeadersPlugin(fastify: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const base: CspDirectives = { ...DEFAULT_CSP, ...options.csp };
  const permissionsPolicy = options.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY;

  // Route-specific policies are resolved once, when each route is registered.
  fastify.addHook('onRoute', (route) => {
    const override = { ...options.routeCsp?.[route.url], ...route.config?.csp };
    if (Object.keys(override).length === 0) return;
    route.config = {
      ...route.config,
      helmet: { contentSecurityPolicy: { useDefaults: false, directives: toHelmetDirectives({ ...base, ...override }) } },
    } as typeof route.config;
  });

  await fastify.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: toHelmetDirectives(base) },
    crossOriginEmbedderPolicy: { policy: options.coep ?? 'require-corp' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.production
      ? { maxAge: 31_536_000, includeSubDomains: true, preload: options.hstsPreload ?? false }
      : false,
    xFrameOptions: { action: 'deny' },
    xDnsPrefetchControl: { allow: false },
    xPermittedCrossDomainPolicies: { permittedPolicies: 'none' },
  });

  fastify.addHook('onRequest', async (_request, reply) => {
    reply.header('permissions-policy', permissionsPolicy);
  });
}

/** Security headers and CSP on every response, errors and 404s included. */
export const securityHeaders = fp(securityHeadersPlugin, { name: '@composable-svelte/security-headers', fastify: '5.x' });
