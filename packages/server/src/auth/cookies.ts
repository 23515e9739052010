import type { CookieSerializeOptions } from '@fastify/cookie';

/** The session cookie's name when the site is served over HTTPS. */
export const SESSION_COOKIE_NAME = '__Host-session';
/** Its name on plain-HTTP localhost, where browsers do not reliably honour the `__Host-` prefix. */
export const SESSION_COOKIE_NAME_PLAIN_HTTP = 'session';
export const FLASH_COOKIE_NAME = '__Host-flash';
export const FLASH_COOKIE_NAME_PLAIN_HTTP = 'flash';

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * Whether the site's cookies are `Secure` with the `__Host-` prefix. Decided from PUBLIC_URL, the
 * operator's statement of how browsers reach the site, not from the request: behind a TLS-ending
 * proxy every request arrives as plain HTTP, and a header saying otherwise is only as trustworthy
 * as TRUST_PROXY. https → secure; plain HTTP on loopback (development) → the unprefixed names;
 * plain HTTP elsewhere in production → still secure, so a misconfiguration fails closed (the CSRF
 * cookie follows the same rule).
 */
export function secureCookies(publicUrl: string, production: boolean): boolean {
  const url = new URL(publicUrl);
  if (url.protocol === 'https:') return true;
  if (LOOPBACK_HOST.test(url.hostname)) return false;
  return production;
}

export interface AuthCookies {
  readonly session: { readonly name: string; readonly options: CookieSerializeOptions };
  readonly flash: { readonly name: string; readonly options: CookieSerializeOptions };
}

export function authCookies(secure: boolean, sessionMaxAgeS: number): AuthCookies {
  // Lax, not Strict: a link from a mail or another site must arrive signed in; forms are CSRF-protected.
  const base = { path: '/', httpOnly: true, sameSite: 'lax', secure } as const;
  return {
    session: {
      name: secure ? SESSION_COOKIE_NAME : SESSION_COOKIE_NAME_PLAIN_HTTP,
      options: { ...base, maxAge: sessionMaxAgeS },
    },
    flash: {
      name: secure ? FLASH_COOKIE_NAME : FLASH_COOKIE_NAME_PLAIN_HTTP,
      options: { ...base, maxAge: 60, signed: true },
    },
  };
}
