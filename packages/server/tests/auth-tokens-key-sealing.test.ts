/** Signing keys at rest: what is sealed opens only with the same secret, for the same kid, unaltered. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeySealer } from '../src/auth/tokens/index.js';

const secret = 's'.repeat(32);
const sealer = createKeySealer(secret);

describe('key sealing', () => {
  it('opens what it sealed, and never shows the plaintext in the sealed form', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 8 }), fc.string({ minLength: 1 }), (plaintext, kid) => {
        const sealed = sealer.seal(plaintext, kid);
        expect(sealed).not.toContain(plaintext);
        expect(sealer.open(sealed, kid)).toBe(plaintext);
        // A fresh IV each time: the same key sealed twice looks different.
        expect(sealer.seal(plaintext, kid)).not.toBe(sealed);
      }),
    );
  });

  it('refuses an altered byte, another kid, another secret', () => {
    const other = createKeySealer('t'.repeat(32));
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.nat({ max: 2 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (plaintext, part, offset, mask) => {
          const sealed = sealer.seal(plaintext, 'kid-1');
          const parts = sealed.split('.');
          const bytes = Buffer.from(parts[part + 1]!, 'base64url');
          bytes[offset % bytes.length]! ^= mask;
          parts[part + 1] = bytes.toString('base64url');
          expect(() => sealer.open(parts.join('.'), 'kid-1')).toThrow();
          expect(() => sealer.open(sealed, 'kid-2')).toThrow();
          expect(() => other.open(sealed, 'kid-1')).toThrow();
        },
      ),
    );
    expect(() => createKeySealer('too short')).toThrow(/at least 32 characters/);
  });
});
