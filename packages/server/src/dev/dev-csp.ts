import type { CspDirectives } from '../security/headers.js';

/**
 * The development policy: the production one plus exactly what Vite's HMR client needs — its
 * WebSocket on the dev server's own origin, and the nonce it puts on the `<style>` elements it
 * injects (component CSS, the error overlay). Its modules are same-origin, already 'self'.
 */
export function devCspAdditions(origins: readonly string[], styleNonce: string): CspDirectives {
  const sockets = origins.map((origin) => origin.replace(/^http/, 'ws'));
  return { 'connect-src': sockets, 'style-src': [`'nonce-${styleNonce}'`] };
}

/** `base` with `additions` appended per directive (a directive the base lacks starts from its sources). */
export function withCspAdditions(base: CspDirectives, additions: CspDirectives): CspDirectives {
  const merged: Record<string, readonly string[]> = { ...base };
  for (const [name, sources] of Object.entries(additions)) merged[name] = [...(base[name] ?? []), ...sources];
  return merged;
}
