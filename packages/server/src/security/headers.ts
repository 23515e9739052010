import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
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

/** What a response that never loads anything (an error answered before routing) may do: nothing. */
const NOTHING_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Every policy-controlled feature browsers implement (W3C Permissions Policy registry and the
 * Chromium/Firefox/WebKit feature lists), each denied to every origin: a page that needs one
 * grants it through `security.permissionsPolicy`.
 */
const POLICY_FEATURES = [
  'accelerometer',
  'ambient-light-sensor',
  'attribution-reporting',
  'autoplay',
  'bluetooth',
  'browsing-topics',
  'camera',
  'compute-pressure',
  'display-capture',
  'encrypted-media',
  'fullscreen',
  'gamepad',
  'geolocation',
  'gyroscope',
  'hid',
  'identity-credentials-get',
  'idle-detection',
  'local-fonts',
  'magnetometer',
  'microphone',
  'midi',
  'otp-credentials',
  'payment',
  'picture-in-picture',
  'publickey-credentials-create',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'speaker-selection',
  'storage-access',
  'usb',
  'web-share',
  'window-management',
  'xr-spatial-tracking',
] as const;

/** Deny-all: every feature above, for every origin. */
export const DEFAULT_PERMISSIONS_POLICY = POLICY_FEATURES.map((feature) => `${feature}=()`).join(', ');

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

export type HeaderTable = Readonly<Record<string, string>>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Per-route CSP directives, replacing the app-wide ones of the same name. */
    csp?: CspDirectives;
    /** Set by this plugin when a route has its own CSP: the precomputed headers for it. */
    securityHeaders?: HeaderTable;
  }
}

function toHelmetDirectives(directives: CspDirectives): Record<string, string[]> {
  return Object.fromEntries(Object.entries(directives).map(([name, sources]) => [name, [...sources]]));
}

/**
 * The one security-header table, for a CSP. @fastify/helmet builds helmet's middleware (and
 * re-parses the CSP) on every request; our policies hold no per-request values (no nonces: there
 * is no inline script), so helmet runs once per policy against a recorder and the result is replayed.
 */
export function securityHeaderTable(options: SecurityHeadersOptions, directives: CspDirectives): HeaderTable {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  const middleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: toHelmetDirectives(directives) },
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
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  headers['permissions-policy'] = options.permissionsPolicy ?? DEFAULT_PERMISSIONS_POLICY;
  return Object.freeze(headers);
}

/**
 * For responses made before any route runs (a malformed URL, malformed HTTP): the same table with
 * a CSP that allows nothing and COEP require-corp, never stored by a cache.
 */
export function hardenedHeaderTable(options: SecurityHeadersOptions): HeaderTable {
  return Object.freeze({
    ...securityHeaderTable({ ...options, coep: 'require-corp' }, NOTHING_CSP),
    'cache-control': 'no-store',
  });
}

async function securityHeadersPlugin(fastify: FastifyInstance, options: SecurityHeadersOptions): Promise<void> {
  const base: CspDirectives = { ...DEFAULT_CSP, ...options.csp };
  const baseHeaders = securityHeaderTable(options, base);

  // Route-specific policies are resolved once, when each route is registered.
  fastify.addHook('onRoute', (route) => {
    const override = { ...options.routeCsp?.[route.url], ...route.config?.csp };
    if (Object.keys(override).length === 0) return;
    route.config = {
      ...route.config,
      securityHeaders: securityHeaderTable(options, { ...base, ...override }),
    } as typeof route.config;
  });

  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(request.routeOptions.config?.securityHeaders ?? baseHeaders);
    done();
  });
}

/** Security headers and CSP on every response, errors and 404s included. */
export const securityHeaders = fp(securityHeadersPlugin, {
  name: '@composable-svelte/security-headers',
  fastify: '5.x',
});
