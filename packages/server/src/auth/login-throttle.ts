import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open-database.js';
import { loginAttempts } from './schema.js';

export interface LoginThrottleOptions {
  readonly db: Db<Record<string, unknown>>;
  /** Failures allowed before attempts must wait. */
  readonly freeFailures: number;
  /** The wait doubles per further failure up to this; it never becomes a lockout. */
  readonly maxBackoffMs: number;
  readonly now?: () => Date;
}

export interface LoginThrottle {
  /** How long this account's next attempt must still wait (0: it may try now). */
  waitMs(accountKey: string): Promise<number>;
  failed(accountKey: string): Promise<void>;
  succeeded(accountKey: string): Promise<void>;
}

/** A day without failures forgets the earlier ones (and the nightly purge deletes the row). */
export const FAILURE_MEMORY_MS = 86_400_000;
const FIRST_BACKOFF_MS = 1000;

/** The account key: the address as the user table compares it (case-insensitive, trimmed). */
export function accountKeyOf(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Per-account exponential back-off, kept in the database so every instance agrees. Keyed by the
 * address typed (its pseudonym, `accountPseudonym`), whether or not it has an account, so the
 * back-off says nothing about which addresses exist. Password guessing against one account slows to one try per `maxBackoffMs`;
 * its owner is at worst delayed that long, never locked out.
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const { db, freeFailures, maxBackoffMs } = options;
  const now = options.now ?? (() => new Date());
  return {
    async waitMs(accountKey) {
      const [row] = await db
        .select({ blockedUntil: loginAttempts.blockedUntil })
        .from(loginAttempts)
        .where(eq(loginAttempts.accountKey, accountKey));
      const until = row?.blockedUntil?.getTime() ?? 0;
      return Math.max(0, until - now().getTime());
    },
    async failed(accountKey) {
      const at = now();
      const forgetBefore = new Date(at.getTime() - FAILURE_MEMORY_MS);
      const [row] = await db
        .insert(loginAttempts)
        .values({ accountKey, failures: 1, updatedAt: at })
        .onConflictDoUpdate({
          target: loginAttempts.accountKey,
          set: {
            failures: sql`case when ${loginAttempts.updatedAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginAttempts.failures} + 1 end`,
            updatedAt: at,
          },
        })
        .returning({ failures: loginAttempts.failures });
      const failures = row?.failures ?? 1;
      if (failures < freeFailures) return;
      const exponent = Math.min(failures - freeFailures, 30);
      const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** exponent, maxBackoffMs);
      await db
        .update(loginAttempts)
        .set({ blockedUntil: new Date(at.getTime() + backoff) })
        .where(eq(loginAttempts.accountKey, accountKey));
    },
    async succeeded(accountKey) {
      await db.delete(loginAttempts).where(eq(loginAttempts.accountKey, accountKey));
    },
  };
}
