/** URL syntax helpers: splitting, percent-decoding and encoding. Never throw on input. */

export interface Location {
  readonly pathname: string;
  readonly search: string;
}

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/**
 * Strings starting with a scheme are absolute URLs; everything else is taken
 * as path[?query][#hash]. In particular "//host/x" stays a path with an empty
 * first segment: treating it as protocol-relative would let a crafted link
 * pick the host.
 */
export function toLocation(input: string | URL): Location | null {
  if (typeof input !== 'string') {
    return { pathname: String(input.pathname), search: String(input.search) };
  }
  if (SCHEME.test(input)) {
    try {
      const url = new URL(input);
      return { pathname: url.pathname, search: url.search };
    } catch {
      return null;
    }
  }
  const hash = input.indexOf('#');
  const withoutHash = hash === -1 ? input : input.slice(0, hash);
  const question = withoutHash.indexOf('?');
  return question === -1
    ? { pathname: withoutHash, search: '' }
    : { pathname: withoutHash.slice(0, question), search: withoutHash.slice(question) };
}

/**
 * Raw (still encoded) path segments, or null for a path that is not absolute.
 * One trailing slash after a non-empty segment is ignored; "//" is not
 * collapsed, so empty segments stay visible to the matcher.
 */
export function splitPath(pathname: string): string[] | null {
  if (!pathname.startsWith('/')) return null;
  if (pathname === '/') return [];
  const trimmed = pathname.endsWith('/') && !pathname.endsWith('//') ? pathname.slice(0, -1) : pathname;
  return trimmed.slice(1).split('/');
}

/** Percent-decodes one component; undefined when the encoding is malformed. */
export function decodeComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

// Lone surrogates cannot be percent-encoded (encodeURIComponent throws and
// URLSearchParams silently substitutes U+FFFD), so they can never be in a URL.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

export const MALFORMED: unique symbol = Symbol('malformed');

/**
 * Every value of each wanted key, in URL order. Decoded like
 * application/x-www-form-urlencoded ("+" is a space) but strictly:
 * URLSearchParams would silently turn malformed escapes into U+FFFD, which
 * would hide broken links behind wrong values.
 */
export function readQuery(search: string, wanted: ReadonlySet<string>): Map<string, (string | typeof MALFORMED)[]> {
  const found = new Map<string, (string | typeof MALFORMED)[]>();
  const body = search.startsWith('?') ? search.slice(1) : search;
  if (body === '') return found;
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decodeComponent(rawKey.replace(/\+/g, ' '));
    if (key === undefined || !wanted.has(key)) continue;
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const value = decodeComponent(rawValue.replace(/\+/g, ' ')) ?? MALFORMED;
    const values = found.get(key);
    if (values === undefined) found.set(key, [value]);
    else values.push(value);
  }
  return found;
}

/** Encodes a static path segment, leaving characters that are legal in a path as they are. */
export function encodeLiteralSegment(text: string): string {
  return encodeURIComponent(text).replace(/%(?:24|26|2B|2C|3A|3B|3D|40)/g, decodeURIComponent);
}
