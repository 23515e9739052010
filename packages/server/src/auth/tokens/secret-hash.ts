import { createHash, randomBytes } from 'node:crypto';

/** A new 256-bit secret, base64url: far beyond guessing, so one fast hash suffices to store it. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256 (hex) of a high-entropy secret. A slow password hash (Argon2) exists to make guessing a
 * low-entropy password expensive; a 256-bit random secret cannot be guessed at any speed, and a
 * fast hash keeps every API request and refresh to one lookup by an indexed value.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
