import { randomBytes, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { and, count, desc, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../../db/open-database.js';
import { badRequest, conflict } from '../../errors/http-error.js';
import type { Principal } from '../principal.js';
import { users } from '../schema.js';
import { InvalidTokenError } from './errors.js';
import { apiKeys } from './schema.js';
import { hashSecret } from './secret-hash.js';

/** A busy key writes its last-used time at most this often. */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** Active keys per account: enough for any person's scripts, bounded against a runaway client. */
export const MAX_KEYS_PER_USER = 100;
const NAME_MAX = 100;
// 80-bit id (lookup, shown), 256-bit secret (never stored): base32 so the key is one word to a double-click.
const ID = /^[a-z2-7]{16}$/;
const SECRET = /^[a-z2-7]{52}$/;

export interface ApiKeySummary {
  readonly id: string;
  readonly name: string;
  /** The key's first characters (prefix and id), enough to recognise it; the secret is never shown again. */
  readonly displayPrefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface ApiKeysOptions {
  readonly db: () => Db<Record<string, unknown>>;
  /** Start of every key (AUTH_API_KEY_PREFIX), e.g. `cs_live_`. */
  readonly prefix: string;
  readonly now?: () => number;
}

export interface ApiKeys {
  /** Whether `value` has this server's API key shape (not whether it is valid). */
  looksLikeKey(value: string): boolean;
  /** Makes a key; `key` is the only time its secret exists outside the caller. Scopes are the caller's to check. */
  create(userId: number, name: string, scopes: readonly string[]): Promise<{ key: string; summary: ApiKeySummary }>;
  /** The user's active keys, newest first, without secrets. */
  list(userId: number): Promise<ApiKeySummary[]>;
  /** Revokes one of the user's keys; false when it has no such active key. */
  revoke(userId: number, id: string): Promise<boolean>;
  /** The principal a key proves; rejects with {@link InvalidTokenError} when it is unknown, wrong or revoked. */
  verify(key: string): Promise<Principal>;
  /** Revokes the key itself (whoever holds it, e.g. a secret scanner); resolves with it, or undefined. */
  revokeKey(key: string): Promise<{ id: string; userId: number } | undefined>;
}

/**
 * API keys: `<prefix><id>_<secret>`. The id finds the row; the secret is checked against its
 * SHA-256 in constant time. A key works until revoked (or its user is deleted) and carries the
 * scopes it was made with.
 */
export function createApiKeys(options: ApiKeysOptions): ApiKeys {
  const now = options.now ?? Date.now;
  const { prefix } = options;

  function parse(key: string): { id: string; secret: string } | undefined {
    if (!key.startsWith(prefix)) return undefined;
    const [id, secret, extra] = key.slice(prefix.length).split('_');
    if (extra !== undefined || id === undefined || secret === undefined || !ID.test(id) || !SECRET.test(secret)) {
      return undefined;
    }
    return { id, secret };
  }

  const summary = (row: typeof apiKeys.$inferSelect): ApiKeySummary => ({
    id: row.id,
    name: row.name,
    displayPrefix: `${prefix}${row.id}`,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  });

  async function create(userId: number, name: string, scopes: readonly string[]) {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > NAME_MAX || /[\p{Cc}\p{Cf}]/u.test(trimmed)) {
      throw badRequest(`name must be 1 to ${NAME_MAX} printable characters`);
    }
    const id = encodeBase32LowerCaseNoPadding(randomBytes(10));
    const secret = encodeBase32LowerCaseNoPadding(randomBytes(32));
    const row = await options.db().transaction(async (tx) => {
      const [active] = await tx
        .select({ n: count() })
        .from(apiKeys)
        .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
      if ((active?.n ?? 0) >= MAX_KEYS_PER_USER) {
        throw conflict(`An account may have at most ${MAX_KEYS_PER_USER} API keys; revoke one first`);
      }
      const [inserted] = await tx
        .insert(apiKeys)
        .values({
          id,
          userId,
          name: trimmed,
          scopes: [...scopes],
          secretHash: hashSecret(secret),
          createdAt: new Date(now()),
        })
        .returning();
      return inserted!;
    });
    return { key: `${prefix}${id}_${secret}`, summary: summary(row) };
  }

  async function list(userId: number) {
    const rows = await options
      .db()
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .orderBy(desc(apiKeys.createdAt), apiKeys.id);
    return rows.map(summary);
  }

  async function revoke(userId: number, id: string) {
    if (!ID.test(id)) return false;
    const revoked = await options
      .db()
      .update(apiKeys)
      .set({ revokedAt: new Date(now()) })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    return revoked.length > 0;
  }

  /** The row of a key whose secret matches, compared in constant time; undefined otherwise. */
  async function lookup(parsed: { id: string; secret: string }) {
    const [row] = await options
      .db()
      .select({ key: apiKeys, name: users.name, roles: users.roles })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.id, parsed.id));
    const presented = Buffer.from(hashSecret(parsed.secret), 'hex');
    return row && timingSafeEqual(presented, Buffer.from(row.key.secretHash, 'hex')) ? row : undefined;
  }

  async function revokeKey(key: string) {
    const parsed = parse(key);
    const row = parsed && (await lookup(parsed));
    if (!row || row.key.revokedAt !== null) return undefined;
    await options
      .db()
      .update(apiKeys)
      .set({ revokedAt: new Date(now()) })
      .where(eq(apiKeys.id, row.key.id));
    return { id: row.key.id, userId: row.key.userId };
  }

  async function verify(key: string): Promise<Principal> {
    const parsed = parse(key);
    if (!parsed) throw new InvalidTokenError('The API key is malformed');
    const row = await lookup(parsed);
    if (!row) throw new InvalidTokenError('The API key is not valid');
    if (row.key.revokedAt !== null) throw new InvalidTokenError('The API key has been revoked');
    const at = now();
    if (row.key.lastUsedAt === null || at - row.key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      // Conditional, so instances serving the same key concurrently write once between them.
      const stale = new Date(at - LAST_USED_RESOLUTION_MS);
      await options
        .db()
        .update(apiKeys)
        .set({ lastUsedAt: new Date(at) })
        .where(and(eq(apiKeys.id, row.key.id), or(isNull(apiKeys.lastUsedAt), lte(apiKeys.lastUsedAt, stale))));
    }
    return {
      viewer: { id: row.key.userId, name: row.name, roles: row.roles },
      via: 'api-key',
      scopes: row.key.scopes,
    };
  }

  return { looksLikeKey: (value) => value.startsWith(prefix), create, list, revoke, verify, revokeKey };
}
