/**
 * The nightly auth purge, on both tiers: expired sessions, refresh-token families past their
 * lifetime (with their tokens), expired mailed links and forgotten failed sign-in counts go; live rows stay, including a spent
 * refresh token of a live family (reuse detection needs it). Tables an app does not have are skipped.
 */
import { databaseTiers } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeExpiredAuth } from '../src/auth/purge-expired.js';
import { emailTokens } from '../src/auth/reset/schema.js';
import { loginAttempts, sessions, users } from '../src/auth/schema.js';
import { refreshTokens, tokenFamilies } from '../src/auth/tokens/schema.js';
import { migrate } from '../src/db/migrate.js';
import { AUTH_MIGRATIONS } from './support/auth-oauth.js';

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

const NOW = new Date('2026-11-30T03:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const later = (ms: number) => new Date(NOW.getTime() + ms);
const HOUR = 3_600_000;

describe.each(await databaseTiers())('purging expired auth rows on $name', (tier) => {
  it('deletes only what has expired', { timeout: 30_000 }, async () => {
    const { database, dispose } = await tier.fresh();
    disposers.push(dispose);
    await migrate(database.db, AUTH_MIGRATIONS);
    const { db } = database;
    const [user] = await db.insert(users).values({ name: 'Reader', email: 'reader@example.com' }).returning();
    const userId = user!.id;
    await db.insert(sessions).values([
      { id: 'live', userId, idleExpiresAt: later(HOUR), absoluteExpiresAt: later(24 * HOUR) },
      { id: 'idle-over', userId, idleExpiresAt: ago(1), absoluteExpiresAt: later(24 * HOUR) },
      { id: 'absolute-over', userId, idleExpiresAt: later(HOUR), absoluteExpiresAt: NOW },
    ]);
    const family = (id: string, expiresAt: Date, revokedAt: Date | null = null) => ({
      id,
      userId,
      scope: 'read',
      createdAt: ago(30 * 24 * HOUR),
      expiresAt,
      revokedAt,
    });
    await db
      .insert(tokenFamilies)
      .values([
        family('live-family', later(HOUR)),
        family('expired-family', ago(HOUR)),
        family('revoked-expired-family', ago(HOUR), ago(2 * HOUR)),
      ]);
    await db.insert(refreshTokens).values([
      { tokenHash: 'live-spent', familyId: 'live-family', createdAt: ago(HOUR), spentAt: ago(HOUR / 2) },
      { tokenHash: 'live-current', familyId: 'live-family', createdAt: ago(HOUR / 2) },
      { tokenHash: 'expired-spent', familyId: 'expired-family', createdAt: ago(2 * HOUR), spentAt: ago(2 * HOUR) },
      { tokenHash: 'expired-current', familyId: 'expired-family', createdAt: ago(2 * HOUR) },
      { tokenHash: 'revoked', familyId: 'revoked-expired-family', createdAt: ago(3 * HOUR) },
    ]);
    const link = (tokenHash: string, expiresAt: Date) => ({
      tokenHash,
      purpose: 'verify-email' as const,
      userId,
      email: 'reader@example.com',
      expiresAt,
    });
    await db.insert(emailTokens).values([link('live-link', later(60_000)), link('expired-link', ago(60_000))]);
    await db.insert(loginAttempts).values([
      { accountKey: 'recent', failures: 2, updatedAt: ago(HOUR) },
      { accountKey: 'forgotten', failures: 3, updatedAt: ago(25 * HOUR) },
      // Old, but its capped back-off still runs: the wait must not end early.
      { accountKey: 'still-waiting', failures: 40, updatedAt: ago(25 * HOUR), blockedUntil: later(HOUR) },
    ]);

    await expect(purgeExpiredAuth(db, { now: NOW })).resolves.toEqual({
      sessions: 2,
      tokenFamilies: 2,
      emailTokens: 1,
      loginAttempts: 1,
    });
    expect((await db.select({ id: sessions.id }).from(sessions)).map((row) => row.id)).toEqual(['live']);
    expect((await db.select({ id: tokenFamilies.id }).from(tokenFamilies)).map((row) => row.id)).toEqual([
      'live-family',
    ]);
    const tokens = await db.select({ hash: refreshTokens.tokenHash }).from(refreshTokens);
    expect(tokens.map((row) => row.hash).sort()).toEqual(['live-current', 'live-spent']);
    expect((await db.select({ hash: emailTokens.tokenHash }).from(emailTokens)).map((row) => row.hash)).toEqual([
      'live-link',
    ]);
    const attempts = await db.select({ key: loginAttempts.accountKey }).from(loginAttempts);
    expect(attempts.map((row) => row.key).sort()).toEqual(['recent', 'still-waiting']);
    // A second run finds nothing left.
    await expect(purgeExpiredAuth(db, { now: NOW })).resolves.toEqual({
      sessions: 0,
      tokenFamilies: 0,
      emailTokens: 0,
      loginAttempts: 0,
    });
  });

  it('skips the tables an app does not have', { timeout: 30_000 }, async () => {
    const { database, dispose } = await tier.fresh();
    disposers.push(dispose);
    await migrate(database.db, AUTH_MIGRATIONS);
    const { db } = database;
    await db.execute(sql`drop table auth_email_tokens`);
    await db.execute(sql`drop table auth_refresh_tokens`);
    await db.execute(sql`drop table auth_token_families`);
    await expect(purgeExpiredAuth(db, { now: NOW })).resolves.toEqual({
      sessions: 0,
      tokenFamilies: 0,
      emailTokens: 0,
      loginAttempts: 0,
    });
  });
});
