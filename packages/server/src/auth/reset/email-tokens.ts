import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../db/open-database.js';
import { emailTokens, type EmailTokenPurpose } from './schema.js';

/** 32 random bytes (256 bits) as base64url without padding: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new token: 256 bits from the operating system's CSPRNG, so guessing one is hopeless. */
export function newEmailToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the token. Unsalted SHA-256 suffices: the input is 256 random bits, not a password. */
export function hashEmailToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface EmailTokenGrant {
  readonly userId: number;
  /** The address the token was mailed to. */
  readonly email: string;
}

/**
 * Stores a new token for `purpose` and returns it, the only time it exists in clear. Earlier tokens
 * of the same purpose for the user are deleted (only the newest link works), and so is every
 * expired token, so the table holds only live ones.
 */
export async function issueEmailToken(
  db: Db<Record<string, unknown>>,
  grant: EmailTokenGrant & { readonly purpose: EmailTokenPurpose; readonly ttlMs: number },
): Promise<string> {
  const token = newEmailToken();
  await db.transaction(async (tx) => {
    await tx.delete(emailTokens).where(lte(emailTokens.expiresAt, new Date()));
    await tx
      .delete(emailTokens)
      .where(and(eq(emailTokens.userId, grant.userId), eq(emailTokens.purpose, grant.purpose)));
    await tx.insert(emailTokens).values({
      tokenHash: hashEmailToken(token),
      purpose: grant.purpose,
      userId: grant.userId,
      email: grant.email,
      expiresAt: new Date(Date.now() + grant.ttlMs),
    });
  });
  return token;
}

/** The grant of a live token, without using it up (to show the reset form only for a working link). */
export async function peekEmailToken(
  db: Db<Record<string, unknown>>,
  token: string,
  purpose: EmailTokenPurpose,
): Promise<EmailTokenGrant | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await db
    .select({ userId: emailTokens.userId, email: emailTokens.email })
    .from(emailTokens)
    .where(
      and(
        eq(emailTokens.tokenHash, hashEmailToken(token)),
        eq(emailTokens.purpose, purpose),
        gt(emailTokens.expiresAt, new Date()),
      ),
    );
  return row;
}

/**
 * Uses a token up: one DELETE … RETURNING, so of two requests racing with the same token exactly
 * one gets the grant. An expired token is deleted too, and grants nothing.
 */
export async function consumeEmailToken(
  db: Db<Record<string, unknown>>,
  token: string,
  purpose: EmailTokenPurpose,
): Promise<EmailTokenGrant | undefined> {
  if (!TOKEN_SHAPE.test(token)) return undefined;
  const [row] = await db
    .delete(emailTokens)
    .where(and(eq(emailTokens.tokenHash, hashEmailToken(token)), eq(emailTokens.purpose, purpose)))
    .returning({ userId: emailTokens.userId, email: emailTokens.email, expiresAt: emailTokens.expiresAt });
  if (!row || row.expiresAt.getTime() <= Date.now()) return undefined;
  return { userId: row.userId, email: row.email };
}
