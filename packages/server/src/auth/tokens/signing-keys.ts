import { and, desc, isNotNull, isNull, lt, ne, sql } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Db } from '../../db/open-database.js';
import type { KeySealer } from './key-encryption.js';
import { signingKeys, type SigningKeyRow } from './schema.js';

/** The only algorithm these keys sign and verify with (Ed25519). */
export const SIGNING_ALGORITHM = 'EdDSA';
/** An arbitrary constant naming "signing key rotation" among the app's advisory locks. */
const ROTATION_LOCK_KEY = 7_305_219_014_553n;
/** However often unknown `kid`s arrive, the key set is read again at most this often. */
const UNKNOWN_KID_RELOAD_MS = 1000;

export interface SigningKeysOptions {
  readonly db: () => Db<Record<string, unknown>>;
  readonly sealer: KeySealer;
  /** A key older than this is replaced at the next signing. */
  readonly rotationMs: number;
  /** Longest life of a token: a retired key stays for it, plus skew and this cache's TTL. */
  readonly tokenLifetimeMs: number;
  /** How long a process trusts its copy of the key set before reading it again. */
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
  /** Told when the current key cannot be opened (the secret changed) and is replaced. */
  readonly onUnreadableKey?: (kid: string, error: unknown) => void;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

export interface SigningKeys {
  /** The key to sign with now; made or rotated first when there is none or it is due. */
  current(): Promise<SigningKey>;
  /** The public key of `kid` while it may verify tokens, else undefined. */
  publicKey(kid: string): Promise<CryptoKey | undefined>;
  /** The public keys for `/.well-known/jwks.json`: the current one and those still in their retirement window. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Rotates now (on demand, e.g. after a suspected leak); resolves with the new key's kid. */
  rotate(): Promise<string>;
  /** How long after retirement a key is kept: the longest token life plus skew plus the cache TTL. */
  readonly retentionMs: number;
}

interface KeySet {
  readonly loadedAt: number;
  readonly rows: ReadonlyMap<string, SigningKeyRow>;
  readonly current: SigningKeyRow | undefined;
}

/**
 * Signing keys kept in the database, the one source of truth for every instance. Each process
 * caches the set for `cacheTtlMs` and reads it again at once on an unknown `kid` (another instance
 * may just have rotated). A retired key stays until every token it signed has expired: an instance
 * may still sign with a key for up to one cache TTL after another retired it, hence the margin.
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const now = options.now ?? Date.now;
  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  const retentionMs = options.tokenLifetimeMs + cacheTtlMs;
  let set: KeySet | undefined;
  let loading: Promise<KeySet> | undefined;
  const publicKeys = new Map<string, Promise<CryptoKey>>();
  const privateKeys = new Map<string, Promise<CryptoKey>>();

  async function load(): Promise<KeySet> {
    const at = now();
    const rows = await options.db().select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
    const live = rows.filter((row) => row.retiredAt === null || row.retiredAt.getTime() > at - retentionMs);
    if (live.length < rows.length) await dropExpired(options.db(), at);
    const next: KeySet = {
      loadedAt: at,
      rows: new Map(live.map((row) => [row.kid, row])),
      current: live.find((row) => row.retiredAt === null),
    };
    for (const kid of publicKeys.keys()) if (!next.rows.has(kid)) publicKeys.delete(kid);
    for (const kid of privateKeys.keys()) if (next.current?.kid !== kid) privateKeys.delete(kid);
    set = next;
    return next;
  }

  function keySet(maxAgeMs = cacheTtlMs): Promise<KeySet> {
    if (set && now() - set.loadedAt < maxAgeMs) return Promise.resolve(set);
    // One read at a time: a burst of requests after the TTL shares it.
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  async function dropExpired(db: Db<Record<string, unknown>>, at: number): Promise<void> {
    await db
      .delete(signingKeys)
      .where(and(isNotNull(signingKeys.retiredAt), lt(signingKeys.retiredAt, new Date(at - retentionMs))));
  }

  /**
   * Makes a new current key unless another instance already did what was asked: `due` rotates
   * only if the current key is still old enough, `replace` only if `kid` is still current.
   */
  async function rotateLocked(condition: { due: true } | { replace: string } | { force: true }): Promise<string> {
    const at = now();
    const fresh = await newKey();
    const kid = await options.db().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ROTATION_LOCK_KEY})`);
      const [latest] = await tx
        .select()
        .from(signingKeys)
        .where(isNull(signingKeys.retiredAt))
        .orderBy(desc(signingKeys.createdAt))
        .limit(1);
      if (latest && 'due' in condition && at - latest.createdAt.getTime() < options.rotationMs) return latest.kid;
      if (latest && 'replace' in condition && latest.kid !== condition.replace) return latest.kid;
      await tx.insert(signingKeys).values({
        kid: fresh.kid,
        publicJwk: fresh.publicJwk,
        privateJwkSealed: options.sealer.seal(JSON.stringify(fresh.privateJwk), fresh.kid),
        createdAt: new Date(at),
      });
      await tx
        .update(signingKeys)
        .set({ retiredAt: new Date(at) })
        .where(and(isNull(signingKeys.retiredAt), ne(signingKeys.kid, fresh.kid)));
      await dropExpired(tx as unknown as Db<Record<string, unknown>>, at);
      return fresh.kid;
    });
    await load();
    return kid;
  }

  function privateKeyOf(row: SigningKeyRow): Promise<CryptoKey> {
    let key = privateKeys.get(row.kid);
    if (!key) {
      key = Promise.resolve()
        .then(() => JSON.parse(options.sealer.open(row.privateJwkSealed, row.kid)) as JWK)
        .then((jwk) => importJWK(jwk, SIGNING_ALGORITHM) as Promise<CryptoKey>);
      key.catch(() => privateKeys.delete(row.kid));
      privateKeys.set(row.kid, key);
    }
    return key;
  }

  /** The current key's row, made or rotated first when there is none or it is due. */
  async function currentRow(): Promise<SigningKeyRow> {
    let { current: row } = await keySet();
    if (!row || now() - row.createdAt.getTime() >= options.rotationMs) {
      await rotateLocked({ due: true });
      row = set?.current;
    }
    if (!row) throw new Error('auth tokens: no current signing key after rotation');
    return row;
  }

  async function current(): Promise<SigningKey> {
    const row = await currentRow();
    try {
      return { kid: row.kid, privateKey: await privateKeyOf(row) };
    } catch (error) {
      // Sealed under another secret: its public half still verifies, but it can no longer sign.
      options.onUnreadableKey?.(row.kid, error);
      await rotateLocked({ replace: row.kid });
      const replaced = set?.current;
      if (!replaced) throw new Error('auth tokens: no current signing key after rotation', { cause: error });
      return { kid: replaced.kid, privateKey: await privateKeyOf(replaced) };
    }
  }

  async function publicKey(kid: string): Promise<CryptoKey | undefined> {
    let row = (await keySet()).rows.get(kid);
    if (!row) row = (await keySet(UNKNOWN_KID_RELOAD_MS)).rows.get(kid);
    if (!row || (row.retiredAt !== null && row.retiredAt.getTime() <= now() - retentionMs)) return undefined;
    let key = publicKeys.get(kid);
    if (!key) {
      key = importJWK(row.publicJwk, SIGNING_ALGORITHM) as Promise<CryptoKey>;
      publicKeys.set(kid, key);
    }
    return key;
  }

  async function jwks(): Promise<{ keys: JWK[] }> {
    // Published before the first token is signed, so a verifier may fetch the set at any time.
    await currentRow();
    const { rows } = await keySet();
    const at = now();
    const keys = [...rows.values()]
      .filter((row) => row.retiredAt === null || row.retiredAt.getTime() > at - retentionMs)
      .map((row) => row.publicJwk);
    return { keys };
  }

  return {
    current,
    publicKey,
    jwks,
    rotate: () => rotateLocked({ force: true }),
    retentionMs,
  };
}

async function newKey(): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // RFC 7638 thumbprint: a kid derived from the key itself cannot name two different keys.
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const described = { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return { kid, publicJwk: described, privateJwk: { ...(await exportJWK(privateKey)), kid } };
}
