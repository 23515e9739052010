import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-database.js';
import { transaction } from '../../db/transaction.js';
import { HttpError } from '../../errors/http-error.js';
import { users, type User } from '../schema.js';
import type { ProviderIdentity } from './provider.js';
import { oauthAccounts } from './schema.js';

export interface ResolvedAccount {
  readonly user: User;
  /**
   * signed-in: the identity was already linked. created: a new account. linked: an existing
   * account with the same, provider-verified address now also signs in with this provider.
   */
  readonly outcome: 'signed-in' | 'created' | 'linked';
  /**
   * The linked account's address had never been verified, so whoever created it may not own it:
   * its password was removed and its sessions must be revoked (see {@link resolveAccount}).
   */
  readonly takenBackFromUnverified: boolean;
}

const UNIQUE_VIOLATION = '23505';
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROLS = /[\u0000-\u001f\u007f]+/g;

/**
 * Finds or creates the account a provider identity signs in to. The link is the provider's
 * subject; an e-mail address only ever links when the provider says it verified that address.
 * Without that, an existing account with the same address is refused, never taken over: anyone can
 * put any address on a provider account that does not verify it.
 *
 * Linking to an account whose own address was never verified is the "pre-hijacking" case: someone
 * may have signed up with the victim's address and a password first, waiting for the victim to
 * arrive through the provider. The provider has now proven who owns the address, so the account is
 * theirs: its address is marked verified and the unproven password is removed; the caller revokes
 * the account's sessions.
 */
export async function resolveAccount(
  db: Db<Record<string, unknown>>,
  provider: string,
  label: string,
  identity: ProviderIdentity,
): Promise<ResolvedAccount> {
  try {
    return await transaction(db, (tx) => resolveIn(tx));
  } catch (error) {
    // Two first sign-ins of one person racing: the loser finds the winner's rows when run again.
    if (!isUniqueViolation(error)) throw error;
    return transaction(db, (tx) => resolveIn(tx));
  }

  async function resolveIn(tx: Db<Record<string, unknown>>): Promise<ResolvedAccount> {
    const [linked] = await tx
      .select({ user: users })
      .from(oauthAccounts)
      .innerJoin(users, eq(users.id, oauthAccounts.userId))
      .where(and(eq(oauthAccounts.provider, provider), eq(oauthAccounts.subject, identity.subject)));
    if (linked) return { user: linked.user, outcome: 'signed-in', takenBackFromUnverified: false };

    // Provider data is another party's input: PostgreSQL text refuses NUL, and a name is shown on pages.
    const email = identity.email && !CONTROL.test(identity.email) ? identity.email : undefined;
    if (email === undefined)
      throw new HttpError(
        400,
        'OAUTH_NO_EMAIL',
        `${label} did not share an e-mail address, which an account needs. Allow access to your e-mail address at ${label} and sign in again.`,
      );
    const [existing] = await tx
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = lower(${email})`);
    if (existing) {
      if (!identity.emailVerified)
        throw new HttpError(
          409,
          'OAUTH_EMAIL_UNVERIFIED',
          `An account with the address ${email} already exists, and ${label} has not verified that this address is yours, so the two were not linked. Sign in with your password instead, or verify the address at ${label} and try again.`,
        );
      const unverified = existing.emailVerifiedAt === null;
      let user = existing;
      if (unverified) {
        [user] = (await tx
          .update(users)
          .set({ emailVerifiedAt: new Date(), passwordHash: null, updatedAt: new Date() })
          .where(eq(users.id, existing.id))
          .returning()) as [User];
      }
      await tx.insert(oauthAccounts).values({ provider, subject: identity.subject, userId: existing.id, email });
      return { user, outcome: 'linked', takenBackFromUnverified: unverified };
    }

    const [created] = (await tx
      .insert(users)
      .values({
        email,
        name: displayName(identity.name) || email.split('@')[0]!,
        emailVerifiedAt: identity.emailVerified ? new Date() : null,
      })
      .returning()) as [User];
    await tx.insert(oauthAccounts).values({ provider, subject: identity.subject, userId: created.id, email });
    return { user: created, outcome: 'created', takenBackFromUnverified: false };
  }
}

/** The provider's name without control characters, trimmed to 100 characters. */
function displayName(name: string | undefined): string {
  return [...(name ?? '').replace(CONTROLS, ' ').trim()].slice(0, 100).join('').trim();
}

function isUniqueViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
