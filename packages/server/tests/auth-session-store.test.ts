/**
 * Session tokens are unguessable and stored only hashed; sessions slide and expire as configured,
 * on both database tiers.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTiers, type Tier } from '@composable-svelte/testing';
import { migrate } from '../src/db/migrate.js';
import { users } from '../src/auth/schema.js';
import { createSessionCache } from '../src/auth/session-cache.js';
import { createSessionStore } from '../src/auth/session-store.js';
import { generateSessionToken, isWellFormedSessionToken, sessionIdOf } from '../src/auth/session-token.js';
import { AUTH_MIGRATIONS } from './support/auth-server.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('session tokens', () => {
  it('are 256 random bits, unique across many draws', () => {
    const tokens = Array.from({ length: 20_000 }, generateSessionToken);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens.slice(0, 100)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
    // Every bit position is used about half the time: no constant or biased bits.
    const ones = new Array<number>(256).fill(0);
    for (const token of tokens) {
      const bytes = Buffer.from(token, 'base64url');
      for (let bit = 0; bit < 256; bit++) ones[bit]! += (bytes[bit >> 3]! >> (bit & 7)) & 1;
    }
    for (const count of ones) expect(Math.abs(count / tokens.length - 0.5)).toBeLessThan(0.03);
  });

  it('are looked up by their SHA-256, which reveals nothing of them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const token = Buffer.from(bytes).toString('base64url');
        const id = sessionIdOf(token);
        expect(id).toBe(createHash('sha256').update(token).digest('hex'));
        expect(id).not.toContain(token);
        expect(isWellFormedSessionToken(token)).toBe(true);
      }),
    );
    expect(isWellFormedSessionToken('short')).toBe(false);
    expect(isWellFormedSessionToken(`${'a'.repeat(42)}=`)).toBe(false);
  });
});

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

async function setUp(tier: Tier, settings: { idleMs: number; absoluteMs: number; touchMs: number }) {
  const opened = await tier.fresh();
  disposers.push(opened.dispose);
  const { db } = opened.database;
  await migrate(db, AUTH_MIGRATIONS);
  const [user] = await db.insert(users).values({ email: 'a@example.org', name: 'A' }).returning({ id: users.id });
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = {
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
  const cache = createSessionCache({ ttlMs: 60_000 });
  disposers.push(() => cache.close());
  const store = createSessionStore({ db, ...settings, cache, now: () => now });
  return { db, store, userId: user!.id, clock };
}

describe.each(await databaseTiers())('session store on $name', (tier) => {
  it('stores only the hash of each token', { timeout: 30_000 }, async () => {
    const { db, store, userId } = await setUp(tier, { idleMs: HOUR, absoluteMs: 24 * HOUR, touchMs: MINUTE });
    const created = await Promise.all(Array.from({ length: 5 }, () => store.create(userId, { userAgent: 'test' })));
    const dump = JSON.stringify(
      ((await db.execute(sql`select * from auth_sessions`)) as unknown as { rows: unknown[] }).rows,
    );
    for (const { token, session } of created) {
      expect(dump).not.toContain(token);
      expect(session.id).toBe(sessionIdOf(token));
      expect((await store.validate(token))?.viewer).toEqual({ id: userId, name: 'A', roles: [] });
    }
    expect(await store.validate(generateSessionToken())).toBeUndefined();
  });

  it('slides the idle deadline with use, writing at most once per touch interval', { timeout: 30_000 }, async () => {
    const { store, userId, clock } = await setUp(tier, { idleMs: HOUR, absoluteMs: 24 * HOUR, touchMs: MINUTE });
    const { token } = await store.create(userId);
    clock.advance(30_000);
    const early = await store.validate(token);
    // Within the touch interval: last-seen is not rewritten.
    expect(early?.lastSeenAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(50 * MINUTE);
    const touched = await store.validate(token);
    expect(touched?.lastSeenAt.toISOString()).toBe('2026-01-01T00:50:30.000Z');
    expect(touched?.idleExpiresAt.toISOString()).toBe('2026-01-01T01:50:30.000Z');
    const [listed] = await store.list(userId);
    expect(listed?.lastSeenAt.toISOString()).toBe('2026-01-01T00:50:30.000Z');
    clock.advance(HOUR + 1);
    expect(await store.validate(token)).toBeUndefined();
    expect(await store.list(userId)).toEqual([]);
  });

  it('ends a session at its absolute lifetime however much it is used', { timeout: 30_000 }, async () => {
    const { store, userId, clock } = await setUp(tier, { idleMs: HOUR, absoluteMs: 3 * HOUR, touchMs: MINUTE });
    const { token } = await store.create(userId);
    for (let step = 0; step < 4; step++) {
      clock.advance(40 * MINUTE);
      expect(await store.validate(token)).toBeDefined();
    }
    clock.advance(21 * MINUTE);
    expect(await store.validate(token)).toBeUndefined();
  });

  it('revokes one session, or all of a user but one', { timeout: 30_000 }, async () => {
    const { store, userId, clock } = await setUp(tier, { idleMs: HOUR, absoluteMs: 24 * HOUR, touchMs: MINUTE });
    const [a, b, c] = await Promise.all([store.create(userId), store.create(userId), store.create(userId)]);
    await store.revoke(a!.session.id);
    expect(await store.validate(a!.token)).toBeUndefined();
    expect(await store.revokeAllForUser(userId, c!.session.id)).toBe(1);
    expect(await store.validate(b!.token)).toBeUndefined();
    expect(await store.validate(c!.token)).toBeDefined();
    clock.advance(2 * HOUR);
    expect(await store.deleteExpired()).toBe(1);
  });
});
