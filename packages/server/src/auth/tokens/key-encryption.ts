import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts private signing keys before they reach the database, so a database dump or backup alone
 * cannot mint tokens. AES-256-GCM under a key derived (HKDF-SHA256) from the app secret with its
 * own label, so the secret that also signs cookies never serves as a raw cipher key. The key's `kid`
 * is authenticated data: a sealed key copied onto another row does not open.
 */
export interface KeySealer {
  seal(plaintext: string, kid: string): string;
  /** Throws when the secret is not the one that sealed it, or the value was altered. */
  open(sealed: string, kid: string): string;
}

export function createKeySealer(secret: string): KeySealer {
  if (secret.length < 32) throw new TypeError('auth tokens: the signing key secret must be at least 32 characters');
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'composable-svelte auth signing keys v1', 32));
  return {
    seal(plaintext, kid) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(kid));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, kid) {
      const [version, iv, ciphertext, tag] = sealed.split('.');
      if (version !== VERSION || iv === undefined || ciphertext === undefined || tag === undefined) {
        throw new Error(`signing key ${kid}: not a sealed key of format ${VERSION}`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
