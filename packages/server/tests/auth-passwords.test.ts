/** Argon2id hashing and the NIST 800-63B strength rules. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PASSWORD_PARAMS,
  hashNeedsUpdate,
  hashPassword,
  verifyPassword,
  type PasswordHashParams,
} from '../src/auth/password.js';
import { checkPasswordStrength } from '../src/auth/password-strength.js';

/** OWASP's floor: property runs hash dozens of passwords. */
const FAST: PasswordHashParams = { memoryKib: 19_456, timeCost: 2, parallelism: 1 };

describe('Argon2id passwords', () => {
  it('verifies what it hashed and nothing else', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 128, unit: 'grapheme' }),
        fc.string({ maxLength: 64 }),
        async (password, other) => {
          const stored = await hashPassword(password, FAST);
          expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
          expect(await verifyPassword(stored, password, FAST)).toEqual({ ok: true, needsRehash: false });
          if (other !== password) expect((await verifyPassword(stored, other, FAST)).ok).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('salts every hash: the same password never hashes the same twice', async () => {
    const [a, b] = await Promise.all([hashPassword('same password', FAST), hashPassword('same password', FAST)]);
    expect(a).not.toBe(b);
  });

  it('flags a hash made with other parameters for rehashing, once it verified', async () => {
    const stored = await hashPassword('a password', FAST);
    expect(hashNeedsUpdate(stored, FAST)).toBe(false);
    expect(hashNeedsUpdate(stored, DEFAULT_PASSWORD_PARAMS)).toBe(true);
    expect(await verifyPassword(stored, 'a password', DEFAULT_PASSWORD_PARAMS)).toEqual({
      ok: true,
      needsRehash: true,
    });
    expect(await verifyPassword(stored, 'wrong', DEFAULT_PASSWORD_PARAMS)).toEqual({ ok: false, needsRehash: false });
  });

  it('treats a corrupt stored hash as a failed check, not an error', async () => {
    expect(await verifyPassword('not a phc string', 'anything')).toEqual({ ok: false, needsRehash: false });
  });

  it('the default cost is far from trivially cheap (median logged)', { timeout: 60_000 }, async () => {
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await hashPassword('correct horse battery staple', DEFAULT_PASSWORD_PARAMS);
      times.push(performance.now() - started);
    }
    const median = times.sort((a, b) => a - b)[2]!;
    console.info(`Argon2id m=64 MiB t=4 p=1: median ${median.toFixed(1)} ms per hash`);
    // Loose: other work shares these cores. It fails if the default became trivially cheap.
    expect(median).toBeGreaterThan(20);
    expect(median).toBeLessThan(1000);
  });
});

describe('password strength', () => {
  it('takes 8 to 128 characters, counted as characters, not bytes', () => {
    expect(checkPasswordStrength('x7#Qz!p').problems).toEqual(['The password must have at least 8 characters.']);
    expect(checkPasswordStrength('🐉'.repeat(7)).ok).toBe(false);
    expect(checkPasswordStrength('a'.repeat(129)).problems).toEqual(['The password must have at most 128 characters.']);
    expect(checkPasswordStrength('glacier-Umbrella-87-violin', { minScore: 3 }).ok).toBe(true);
  });

  it("refuses common passwords, patterns and the user's own details, saying why", () => {
    for (const weak of ['password1', 'qwertyuiop', '12345678910', 'iloveyou2024']) {
      const result = checkPasswordStrength(weak);
      expect(result.ok, weak).toBe(false);
      expect(result.problems[0]).toBe('This password is too easy to guess.');
    }
    const own = { userInputs: ['lovelace@example.org', 'Ada Lovelace'] };
    expect(checkPasswordStrength('lovelace1815', own).ok).toBe(false);
    expect(checkPasswordStrength('lovelace1815', { minScore: 1 }).ok).toBe(true);
    expect(checkPasswordStrength('lovelace1815', { ...own, minScore: 2 }).ok).toBe(false);
  });

  it('accepts any long random-enough password regardless of composition', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{24}$/), (password) => {
        // No digits, no capitals, no symbols: NIST forbids composition rules; length and randomness count.
        expect(checkPasswordStrength(password, { minScore: 3 }).ok).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
