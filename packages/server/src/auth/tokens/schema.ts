import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { JWK } from 'jose';
import { users } from '../schema.js';

const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/**
 * Ed25519 keys that sign access tokens. The database is the source of truth so every instance
 * signs with the same current key and verifies with the same set. A key is published (in the JWKS)
 * from `created_at`, signs from `activates_at` until `retired_at`, and stays published until every
 * token it signed has expired; then the row is deleted.
 */
export const signingKeys = pgTable('auth_signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: jsonb('public_jwk').$type<JWK>().notNull(),
  /** AES-256-GCM ciphertext of the private JWK (see key-encryption.ts); never logged, never served. */
  privateJwkSealed: text('private_jwk_sealed').notNull(),
  createdAt: time('created_at').notNull(),
  /** A scheduled rotation publishes the next key ahead of this, so cached JWKS copies already hold it. */
  activatesAt: time('activates_at').notNull(),
  /** When the next key took over (may be in the future, when that key is scheduled); null while none is. */
  retiredAt: time('retired_at'),
});

/**
 * One sign-in through the token endpoint and every refresh token rotated from it. Revoking the
 * family (reuse detected, RFC 7009 revocation, or its absolute lifetime over) ends them all.
 */
export const tokenFamilies = pgTable(
  'auth_token_families',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Space-separated scopes granted at sign-in; every access token of the family carries them. */
    scope: text('scope').notNull(),
    createdAt: time('created_at').notNull(),
    /** Absolute lifetime: no refresh extends it. */
    expiresAt: time('expires_at').notNull(),
    revokedAt: time('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (table) => [index('auth_token_families_user').on(table.userId)],
);

/** Refresh tokens by the SHA-256 of their value; a spent one is kept to recognise its reuse. */
export const refreshTokens = pgTable(
  'auth_refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: text('family_id')
      .notNull()
      .references(() => tokenFamilies.id, { onDelete: 'cascade' }),
    createdAt: time('created_at').notNull(),
    /** Set when the token is exchanged; presenting it again is reuse. */
    spentAt: time('spent_at'),
  },
  (table) => [index('auth_refresh_tokens_family').on(table.familyId)],
);

/** Long-lived keys for scripts and integrations: looked up by `id` (visible in the key), checked by hash. */
export const apiKeys = pgTable(
  'auth_api_keys',
  {
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: text('scopes').array().notNull(),
    /** SHA-256 (hex) of the key's secret part. */
    secretHash: text('secret_hash').notNull(),
    createdAt: time('created_at').notNull(),
    /** Updated at most once a minute, so a busy key does not write on every request. */
    lastUsedAt: time('last_used_at'),
    revokedAt: time('revoked_at'),
  },
  (table) => [index('auth_api_keys_user').on(table.userId)],
);

export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type TokenFamilyRow = typeof tokenFamilies.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
