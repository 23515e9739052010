import { createHash, randomBytes } from 'node:crypto';

/** 32 bytes from the OS CSPRNG: 256 bits, unguessable, as base64url (43 characters) for the cookie. */
export function generateSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database stores and looks sessions up by: the token's SHA-256 (hex). A fast hash is
 * enough here, unlike for passwords: the token has 256 bits of entropy, so there is nothing to
 * brute-force.
 */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A cookie value that cannot be one of ours is rejected before any lookup. */
export function isWellFormedSessionToken(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}
