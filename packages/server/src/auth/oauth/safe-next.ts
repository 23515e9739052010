/**
 * A return path taken from a query string, kept only when it stays on this site: an absolute path,
 * not `//host` or `/\host` (both of which browsers resolve to another origin), no control
 * characters. Anything else falls back, so a sign-in link cannot be made to land on another site.
 */
export function safeNext(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  return value;
}
