/**
 * Properties of the mailed tokens (reset and verification), on both tiers: unique and
 * unguessable (256 bits from the CSPRNG), stored only as their SHA-256, usable exactly once, and
 * any altered token grants nothing.
 */
import { databaseTiers } from '@composable-svelte/testing';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  consumeEmailToken,
  hashEmailToken,
  issueEmailToken,
  newEmailToken,
  peekEmailToken,
} from '../src/auth/reset/email-tokens.js';
import { emailTokens } from '../src/auth/reset/schema.js';
import { users } from '../src/auth/schema.js';
import { migrate } from '../src/db/migrate.js';
import { AUTH_MIGRATIONS } from './support/auth-oauth.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

describe('mailed tokens', () => {
  it('are 256 random bits: distinct, well-formed, every bit position unbiased', () => {
    const count = 4000;
    const tokens = Array.from({ length: count }, newEmailToken);
    expect(new Set(tokens).size).toBe(count);
    const ones = new Array<number>(256).fill(0);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const bytes = Buffer.from(token, 'base64url');
      expect(bytes).toHaveLength(32);
      for (let bit = 0; bit < 256; bit++) ones[bit]! += (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    // Each bit is 1 in count/2 tokens, give or take 6 standard deviations (√(count/4) ≈ 32).
    const sigma = Math.sqrt(count / 4);
    for (const total of ones) expect(Math.abs(total - count / 2)).toBeLessThan(6 * sigma);
  });
});

describe.each(await databaseTiers())('mailed tokens on $name', (tier) => {
  async function database() {
    const { database: opened, dispose } = await tier.fresh();
    disposers.push(dispose);
    await migrate(opened.db, AUTH_MIGRATIONS);
    return opened.db;
  }

  it('are stored only as their SHA-256, and work exactly once however many try', { timeout: 120_000 }, async () => {
    const db = await database();
    const [user] = await db.insert(users).values({ email: 'reader@example.com', name: 'Reader' }).returning();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('reset-password' as const, 'verify-email' as const),
        fc.integer({ min: 1, max: 6 }),
        async (purpose, attempts) => {
          const token = await issueEmailToken(db, { userId: user!.id, email: user!.email, purpose, ttlMs: 60_000 });
          const rows = await db.select().from(emailTokens);
          expect(rows).toHaveLength(1);
          expect(rows[0]!.tokenHash).toBe(hashEmailToken(token));
          expect(JSON.stringify(rows)).not.toContain(token);
          const other = purpose === 'reset-password' ? 'verify-email' : 'reset-password';
          expect(await consumeEmailToken(db, token, other)).toBeUndefined();
          const grants = await Promise.all(
            Array.from({ length: attempts }, () => consumeEmailToken(db, token, purpose)),
          );
          expect(grants.filter(Boolean)).toEqual([{ userId: user!.id, email: user!.email }]);
          expect(await peekEmailToken(db, token, purpose)).toBeUndefined();
        },
      ),
      { numRuns: 15 },
    );
  });

  it('grant nothing once any character is altered', { timeout: 120_000 }, async () => {
    const db = await database();
    const [user] = await db.insert(users).values({ email: 'reader@example.com', name: 'Reader' }).returning();
    const token = await issueEmailToken(db, {
      userId: user!.id,
      email: user!.email,
      purpose: 'reset-password',
      ttlMs: 60_000,
    });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 42 }), fc.constantFrom(...alphabet), async (position, replacement) => {
        fc.pre(token[position] !== replacement);
        const altered = token.slice(0, position) + replacement + token.slice(position + 1);
        expect(await peekEmailToken(db, altered, 'reset-password')).toBeUndefined();
        expect(await consumeEmailToken(db, altered, 'reset-password')).toBeUndefined();
      }),
      { numRuns: 40 },
    );
    // The real one still works after all those tries.
    expect(await consumeEmailToken(db, token, 'reset-password')).toEqual({ userId: user!.id, email: user!.email });
  });
});
