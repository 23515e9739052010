import { Type } from '@sinclair/typebox';
import { and, getTableName, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../db/open-database.js';
import { defineJob, type JobDefinition } from '../jobs/define-job.js';
import { FAILURE_MEMORY_MS } from './login-throttle.js';
import { emailTokens } from './reset/schema.js';
import { loginAttempts, sessions } from './schema.js';
import { tokenFamilies } from './tokens/schema.js';

export interface PurgedAuthRows {
  /** Sessions past their idle or absolute expiry. */
  readonly sessions: number;
  /** Refresh-token families past their absolute lifetime (revoked ones included), with all their tokens. */
  readonly tokenFamilies: number;
  /** Verification and password-reset links past their expiry. */
  readonly emailTokens: number;
  /** Failed sign-in counts the throttle has forgotten (a day without failures, no wait pending). */
  readonly loginAttempts: number;
}

export const AUTH_PURGE_JOB = 'auth.purge-expired';
/** Nightly, at 03:00 in the schedule's time zone. */
export const AUTH_PURGE_CRON = '0 3 * * *';

/**
 * Deletes the auth rows that can no longer grant anything: expired sessions, refresh-token families
 * past their lifetime, expired mailed links, and failed sign-in counts the throttle no longer uses. A spent refresh token of a live family is kept: it
 * is how a replayed token is recognised (and its family revoked). Tables the app's migrations do not
 * create (no token endpoint, no mailed links) are skipped.
 */
export async function purgeExpiredAuth(
  db: Db<Record<string, unknown>>,
  options: { readonly now?: Date } = {},
): Promise<PurgedAuthRows> {
  const at = options.now ?? new Date();
  const present = await existingTables(
    db,
    [sessions, tokenFamilies, emailTokens, loginAttempts].map((table) => getTableName(table)),
  );
  const count = async (table: string, remove: () => Promise<unknown[]>) =>
    present.has(table) ? (await remove()).length : 0;
  return {
    sessions: await count(getTableName(sessions), () =>
      db
        .delete(sessions)
        .where(or(lte(sessions.idleExpiresAt, at), lte(sessions.absoluteExpiresAt, at)))
        .returning({ id: sessions.id }),
    ),
    // The family's refresh tokens go with it (ON DELETE CASCADE).
    tokenFamilies: await count(getTableName(tokenFamilies), () =>
      db.delete(tokenFamilies).where(lte(tokenFamilies.expiresAt, at)).returning({ id: tokenFamilies.id }),
    ),
    emailTokens: await count(getTableName(emailTokens), () =>
      db.delete(emailTokens).where(lte(emailTokens.expiresAt, at)).returning({ hash: emailTokens.tokenHash }),
    ),
    loginAttempts: await count(getTableName(loginAttempts), () =>
      db
        .delete(loginAttempts)
        .where(
          and(
            lte(loginAttempts.updatedAt, new Date(at.getTime() - FAILURE_MEMORY_MS)),
            or(isNull(loginAttempts.blockedUntil), lte(loginAttempts.blockedUntil, at)),
          ),
        )
        .returning({ key: loginAttempts.accountKey }),
    ),
  };
}

async function existingTables(db: Db<Record<string, unknown>>, names: readonly string[]): Promise<Set<string>> {
  const result = await db.execute(
    sql`select name from unnest(array[${sql.join(
      names.map((name) => sql`${name}`),
      sql`, `,
    )}]::text[]) as name where to_regclass(name) is not null`,
  );
  return new Set((result as unknown as { rows: { name: string }[] }).rows.map((row) => row.name));
}

/**
 * The nightly purge as a job: `createJobs({ jobs: [authPurgeJob({ db })], schedules:
 * [schedule(AUTH_PURGE_CRON, AUTH_PURGE_JOB)] })`, with `auth: { sweepExpired: false }` so the
 * instances stop sweeping on their own. A cron job runs once per tick across instances.
 */
const NoPayload = Type.Object({}, { additionalProperties: false });

export function authPurgeJob(options: {
  readonly db: Db<Record<string, unknown>>;
}): JobDefinition<typeof AUTH_PURGE_JOB, typeof NoPayload, PurgedAuthRows> {
  return defineJob(AUTH_PURGE_JOB, {
    payload: NoPayload,
    retry: { limit: 3, backoff: 'exponential', delayMs: 60_000 },
    timeoutMs: 10 * 60_000,
    handler: () => purgeExpiredAuth(options.db),
  });
}
