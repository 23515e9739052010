const PROBE_ORIGIN = 'https://next.invalid';
// Control characters and backslashes: browsers strip tabs and newlines from URLs and read "\" as
// "/", which is how "/\t/evil.example" or "/\evil.example" become a host.
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

/**
 * Where to send the browser after signing in: the `next` it asked for when it is a path on this
 * site, else `fallback`. Only a single leading slash is accepted ("//host" and "/\host" are hosts
 * to a browser), never a scheme, and the result is what the WHATWG URL parser makes of it on our
 * own origin, so what we check is exactly what the browser will follow.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || UNSAFE.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PROBE_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith('//') ? fallback : path;
}
