/**
 * Refresh-token rotation against a model: any sequence of sign-ins, refreshes with any token ever
 * handed out (the latest or a spent one), revocations and made-up tokens gives exactly the
 * outcomes single use and family revocation predict, on both database tiers.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { createRefreshTokens, type RefreshTokens } from '../src/auth/tokens/index.js';
import { databaseTiers } from '@composable-svelte/testing';
import { AUTH_TOKENS_MIGRATIONS, createUser, testClock } from './support/auth-tokens.js';

type Op =
  | { kind: 'signIn' }
  | { kind: 'refresh'; family: number; token: number }
  | { kind: 'revoke'; family: number; token: number }
  | { kind: 'unknown' }
  | { kind: 'wait'; seconds: number };

/** Which of a family's tokens: -1 the latest (the one its holder would use), else any, by index. */
const tokenArb = fc.oneof(fc.constant(-1), fc.nat());

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'signIn' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('refresh' as const), family: fc.nat(), token: tokenArb }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('revoke' as const), family: fc.nat(), token: tokenArb }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'unknown' as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 400 }) }),
    weight: 1,
  },
);

interface ModelFamily {
  readonly tokens: string[];
  readonly spent: Set<string>;
  revoked: boolean;
  readonly expiresAtMs: number;
}

const FAMILY_TTL_MS = 1000 * 1000;

describe.each(await databaseTiers())('refresh tokens on $name', (tier) => {
  let dispose: () => Promise<void>;
  let tokens: RefreshTokens;
  let userId: number;
  const clock = testClock();

  beforeAll(async () => {
    const opened = await tier.fresh();
    dispose = opened.dispose;
    await migrate(opened.database.db, AUTH_TOKENS_MIGRATIONS);
    userId = (await createUser(opened.database.db, { email: 'm@example.test', name: 'M', password: 'pw-pw-pw-pw' })).id;
    tokens = createRefreshTokens({ db: () => opened.database.db, familyTtlMs: FAMILY_TTL_MS, now: clock.now });
  }, 30_000);
  afterAll(() => dispose());

  it('single use, rotation and whole-family revocation on reuse follow the model', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const families: ModelFamily[] = [];
        for (const op of ops) {
          if (op.kind === 'signIn') {
            const { refreshToken } = await tokens.start(userId, ['read']);
            families.push({
              tokens: [refreshToken],
              spent: new Set(),
              revoked: false,
              expiresAtMs: clock.now() + FAMILY_TTL_MS,
            });
          } else if (op.kind === 'wait') {
            clock.advance(op.seconds * 1000);
          } else if (op.kind === 'unknown') {
            expect(await tokens.rotate('x'.repeat(43))).toEqual({ ok: false, reason: 'unknown' });
          } else {
            const family = families[op.family % Math.max(families.length, 1)];
            if (!family) continue;
            const token = family.tokens.at(op.token === -1 ? -1 : op.token % family.tokens.length)!;
            if (op.kind === 'revoke') {
              expect(await tokens.revoke(token)).toMatchObject({ userId });
              family.revoked = true;
              continue;
            }
            const result = await tokens.rotate(token);
            if (family.spent.has(token)) {
              expect(result).toMatchObject({ ok: false, reason: 'reused', userId });
              family.revoked = true;
            } else {
              family.spent.add(token);
              if (family.revoked) expect(result).toEqual({ ok: false, reason: 'revoked' });
              else if (clock.now() >= family.expiresAtMs) expect(result).toEqual({ ok: false, reason: 'expired' });
              else {
                expect(result).toMatchObject({ ok: true, userId, scopes: ['read'] });
                if (result.ok) family.tokens.push(result.refreshToken);
              }
            }
          }
        }
      }),
      {
        numRuns: 100,
        // The theft story, always checked: the thief replays a spent token, then the owner's latest fails.
        examples: [
          [
            [
              { kind: 'signIn' },
              { kind: 'refresh', family: 0, token: -1 },
              { kind: 'refresh', family: 0, token: 0 },
              { kind: 'refresh', family: 0, token: -1 },
            ],
          ],
        ],
      },
    );
  });

  it('revokes every family of a user at once (password reset, sign out everywhere)', async () => {
    const families = await Promise.all([tokens.start(userId, ['read']), tokens.start(userId, ['read'])]);
    expect(await tokens.revokeUser(userId, 'password-reset')).toBeGreaterThanOrEqual(2);
    for (const { refreshToken } of families) {
      expect(await tokens.rotate(refreshToken)).toEqual({ ok: false, reason: 'revoked' });
    }
    expect(await tokens.revokeUser(userId, 'password-reset')).toBe(0);
  });

  it('of two concurrent exchanges of one token, one succeeds and the other revokes the family', async () => {
    const { refreshToken } = await tokens.start(userId, ['read']);
    const results = await Promise.all([tokens.rotate(refreshToken), tokens.rotate(refreshToken)]);
    const winner = results.find((result) => result.ok);
    expect(winner).toBeDefined();
    expect(results.filter((result) => !result.ok)).toEqual([expect.objectContaining({ reason: 'reused' })]);
    if (winner?.ok) expect(await tokens.rotate(winner.refreshToken)).toEqual({ ok: false, reason: 'revoked' });
  });
});
