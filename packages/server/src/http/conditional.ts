import { createHash } from 'node:crypto';

/** A strong validator from the body's bytes: SHA-1 is native, fast, and collision-safe enough here. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

const ENCODING_SUFFIX = /-(br|gz)"$/;

/** The tag without W/ and without the per-encoding suffix, for weak comparison. */
function opaque(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(ENCODING_SUFFIX, '"');
}

/**
 * If-None-Match with weak comparison (RFC 9110 §13.1.2): `*` matches any current representation;
 * otherwise any listed tag whose opaque value equals ours. Encoded variants of one body share it.
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  return matchingTag(header, etag) !== undefined;
}

/** The listed tag that matched (`*` for the wildcard), or undefined. */
export function matchingTag(header: string | undefined, etag: string): string | undefined {
  if (!header) return undefined;
  if (header.trim() === '*') return '*';
  const ours = opaque(etag);
  return header
    .split(',')
    .map((tag) => tag.trim())
    .find((tag) => opaque(tag) === ours);
}

/** If-Modified-Since, consulted only when there is no If-None-Match (RFC 9110 §13.1.3). */
export function notModifiedSince(header: string | undefined, lastModified: string | undefined): boolean {
  if (!header || !lastModified) return false;
  const since = Date.parse(header);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

/** The tag a compressed representation carries: distinct bytes need a distinct strong validator. */
export function encodedEtag(etag: string, encoding: string): string {
  if (etag.startsWith('W/') || ENCODING_SUFFIX.test(etag)) return etag;
  const suffix = encoding === 'br' ? 'br' : encoding === 'gzip' ? 'gz' : '';
  return suffix ? `${etag.slice(0, -1)}-${suffix}"` : etag;
}
