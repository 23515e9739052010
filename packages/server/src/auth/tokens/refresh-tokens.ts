import { randomUUID } from 'node:crypto';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../db/open-database.js';
import { hashSecret, newSecret } from './secret-hash.js';
import { refreshTokens, tokenFamilies } from './schema.js';

export interface RefreshTokensOptions {
  readonly db: () => Db<Record<string, unknown>>;
  /** Absolute lifetime of a family, from sign-in. */
  readonly familyTtlMs: number;
  readonly now?: () => number;
}

export type RotationResult =
  | { readonly ok: true; readonly refreshToken: string; readonly userId: number; readonly scopes: readonly string[] }
  /** `reused`: a spent token came back, so the whole family was revoked just now (or already was). */
  | { readonly ok: false; readonly reason: 'unknown' | 'revoked' | 'expired' }
  | { readonly ok: false; readonly reason: 'reused'; readonly familyId: string; readonly userId: number };

export interface RefreshTokens {
  /** Starts a family (a sign-in) and returns its first refresh token. */
  start(userId: number, scopes: readonly string[]): Promise<{ refreshToken: string; familyId: string }>;
  /** Spends `token` and returns its successor, or why it cannot be exchanged. */
  rotate(token: string): Promise<RotationResult>;
  /** Revokes the family `token` belongs to; resolves with it, or undefined for an unknown token. */
  revoke(token: string): Promise<{ familyId: string; userId: number } | undefined>;
  /** Revokes every family of a user (password reset, "sign out everywhere"); resolves with how many. */
  revokeUser(userId: number, reason: string): Promise<number>;
}

/**
 * Opaque, single-use refresh tokens in families (OAuth 2.0 Security BCP §4.14). Only the SHA-256
 * of a token is stored. Exchanging one marks it spent and issues the next; a spent one presented
 * again means two parties hold the family (a stolen token was used, by the thief or the owner),
 * so the whole family is revoked and both must sign in again.
 */
export function createRefreshTokens(options: RefreshTokensOptions): RefreshTokens {
  const now = options.now ?? Date.now;

  async function start(userId: number, scopes: readonly string[]) {
    const at = now();
    const familyId = randomUUID();
    const refreshToken = newSecret();
    await options.db().transaction(async (tx) => {
      // Families past their lifetime are dead weight; the user's own are cheap to find and bounded.
      await tx
        .delete(tokenFamilies)
        .where(and(eq(tokenFamilies.userId, userId), lt(tokenFamilies.expiresAt, new Date(at))));
      await tx.insert(tokenFamilies).values({
        id: familyId,
        userId,
        scope: scopes.join(' '),
        createdAt: new Date(at),
        expiresAt: new Date(at + options.familyTtlMs),
      });
      await tx.insert(refreshTokens).values({ tokenHash: hashSecret(refreshToken), familyId, createdAt: new Date(at) });
    });
    return { refreshToken, familyId };
  }

  function rotate(token: string): Promise<RotationResult> {
    const at = new Date(now());
    const tokenHash = hashSecret(token);
    return options.db().transaction(async (tx): Promise<RotationResult> => {
      // The conditional update is the single-use check: of two concurrent exchanges, one spends it.
      const [spent] = await tx
        .update(refreshTokens)
        .set({ spentAt: at })
        .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.spentAt)))
        .returning({ familyId: refreshTokens.familyId });
      if (!spent) {
        const [known] = await tx
          .select({ familyId: refreshTokens.familyId, userId: tokenFamilies.userId })
          .from(refreshTokens)
          .innerJoin(tokenFamilies, eq(tokenFamilies.id, refreshTokens.familyId))
          .where(eq(refreshTokens.tokenHash, tokenHash));
        if (!known) return { ok: false, reason: 'unknown' };
        await tx
          .update(tokenFamilies)
          .set({ revokedAt: at, revokedReason: 'reuse' })
          .where(and(eq(tokenFamilies.id, known.familyId), isNull(tokenFamilies.revokedAt)));
        return { ok: false, reason: 'reused', ...known };
      }
      const [family] = await tx.select().from(tokenFamilies).where(eq(tokenFamilies.id, spent.familyId));
      if (!family || family.revokedAt !== null) return { ok: false, reason: 'revoked' };
      if (family.expiresAt <= at) return { ok: false, reason: 'expired' };
      const refreshToken = newSecret();
      await tx
        .insert(refreshTokens)
        .values({ tokenHash: hashSecret(refreshToken), familyId: family.id, createdAt: at });
      return {
        ok: true,
        refreshToken,
        userId: family.userId,
        scopes: family.scope === '' ? [] : family.scope.split(' '),
      };
    });
  }

  async function revoke(token: string) {
    const [known] = await options
      .db()
      .select({ familyId: refreshTokens.familyId, userId: tokenFamilies.userId })
      .from(refreshTokens)
      .innerJoin(tokenFamilies, eq(tokenFamilies.id, refreshTokens.familyId))
      .where(eq(refreshTokens.tokenHash, hashSecret(token)));
    if (!known) return undefined;
    await options
      .db()
      .update(tokenFamilies)
      .set({ revokedAt: new Date(now()), revokedReason: 'revoked' })
      .where(and(eq(tokenFamilies.id, known.familyId), isNull(tokenFamilies.revokedAt)));
    return known;
  }

  async function revokeUser(userId: number, reason: string) {
    const revoked = await options
      .db()
      .update(tokenFamilies)
      .set({ revokedAt: new Date(now()), revokedReason: reason })
      .where(and(eq(tokenFamilies.userId, userId), isNull(tokenFamilies.revokedAt)))
      .returning({ id: tokenFamilies.id });
    return revoked.length;
  }

  return { start, rotate, revoke, revokeUser };
}
