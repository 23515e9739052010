import { and, gt, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
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
/** Longest a verifier may cache the JWKS (its max-age), and so how early a next key is published. */
const MAX_PUBLISH_LEAD_MS = 300_000;

export interface SigningKeysOptions {
  readonly db: () => Db<Record<string, unknown>>;
  readonly sealer: KeySealer;
  /** How long each key signs; its successor is published `publishLeadMs` before it takes over. */
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
  /** The key to sign with now; made first when there is none, its successor scheduled when due. */
  current(): Promise<SigningKey>;
  /** The public key of `kid` while it may verify tokens, else undefined. */
  publicKey(kid: string): Promise<CryptoKey | undefined>;
  /** The public keys for `/.well-known/jwks.json`: the scheduled next key, the current one, and retired ones still in their window. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Replaces the current key at once (on demand, e.g. after a suspected leak); resolves with the new kid. */
  rotate(): Promise<string>;
  /** How long after retirement a key is kept: the longest token life plus skew plus the cache TTL. */
  readonly retentionMs: number;
  /** How early a scheduled key is published before it signs; the JWKS max-age must not exceed it. */
  readonly publishLeadMs: number;
}

interface KeySet {
  readonly loadedAt: number;
  readonly rows: ReadonlyMap<string, SigningKeyRow>;
}

const signsAt = (row: SigningKeyRow, at: number) =>
  row.activatesAt.getTime() <= at && (row.retiredAt === null || row.retiredAt.getTime() > at);

/** The key that signs at `at` (the latest activated one), and whether a successor is already scheduled. */
function keysAt(rows: Iterable<SigningKeyRow>, at: number) {
  let current: SigningKeyRow | undefined;
  let scheduled = false;
  for (const row of rows) {
    // A scheduled key that an immediate rotation retired before it took over never will.
    if (row.activatesAt.getTime() > at) scheduled ||= row.retiredAt === null || row.retiredAt > row.activatesAt;
    else if (signsAt(row, at) && (!current || row.activatesAt > current.activatesAt)) current = row;
  }
  return { current, scheduled };
}

/**
 * Signing keys kept in the database, the one source of truth for every instance. Each process
 * caches the set for `cacheTtlMs` and reads it again at once on an unknown `kid`. Rotation is
 * scheduled: when the current key nears the end of its period, its successor is published first
 * and takes over `publishLeadMs` later, so a verifier holding a JWKS copy no older than its
 * max-age already knows it. A retired key stays until every token it signed has expired: an
 * instance may still sign with it for up to one cache TTL after it retired, hence the margin.
 */
export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const now = options.now ?? Date.now;
  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  const retentionMs = options.tokenLifetimeMs + cacheTtlMs;
  const publishLeadMs = Math.min(MAX_PUBLISH_LEAD_MS, Math.floor(options.rotationMs / 2));
  let set: KeySet | undefined;
  let loading: Promise<KeySet> | undefined;
  const publicKeys = new Map<string, Promise<CryptoKey>>();
  const privateKeys = new Map<string, Promise<CryptoKey>>();

  const expired = (row: SigningKeyRow, at: number) =>
    row.retiredAt !== null && row.retiredAt.getTime() <= at - retentionMs;

  async function load(): Promise<KeySet> {
    const at = now();
    const rows = await options.db().select().from(signingKeys);
    const live = rows.filter((row) => !expired(row, at));
    if (live.length < rows.length) await dropExpired(options.db(), at);
    const next: KeySet = { loadedAt: at, rows: new Map(live.map((row) => [row.kid, row])) };
    for (const kid of publicKeys.keys()) if (!next.rows.has(kid)) publicKeys.delete(kid);
    for (const kid of privateKeys.keys()) if (!next.rows.has(kid)) privateKeys.delete(kid);
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

  const isDue = (current: SigningKeyRow, at: number) =>
    at - current.activatesAt.getTime() >= options.rotationMs - publishLeadMs;

  /**
   * Adds a key under the rotation lock, unless another instance already did what was asked.
   * `schedule`: a successor activating `publishLeadMs` from now, if the current key is due and
   * none is scheduled (or a first key, at once, if there is none). `replace`: a key taking over at
   * once, if `kid` still signs. `force`: a key taking over at once.
   */
  async function addKey(mode: { schedule: true } | { replace: string } | { force: true }): Promise<string> {
    const at = now();
    const fresh = await newKey();
    const kid = await options.db().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ROTATION_LOCK_KEY})`);
      const rows = await tx.select().from(signingKeys);
      const { current, scheduled } = keysAt(rows, at);
      if ('schedule' in mode && current && (scheduled || !isDue(current, at))) return current.kid;
      if ('replace' in mode && current && current.kid !== mode.replace) return current.kid;
      const activatesAt = new Date('schedule' in mode && current ? at + publishLeadMs : at);
      await tx.insert(signingKeys).values({
        kid: fresh.kid,
        publicJwk: fresh.publicJwk,
        privateJwkSealed: options.sealer.seal(JSON.stringify(fresh.privateJwk), fresh.kid),
        createdAt: new Date(at),
        activatesAt,
      });
      // Every other key that would still sign after the new one takes over stops when it does.
      await tx
        .update(signingKeys)
        .set({ retiredAt: activatesAt })
        .where(
          and(
            ne(signingKeys.kid, fresh.kid),
            or(isNull(signingKeys.retiredAt), gt(signingKeys.retiredAt, activatesAt)),
          ),
        );
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

  /** The key that signs now: made first when there is none; its successor scheduled when it is due. */
  async function currentRow(): Promise<SigningKeyRow> {
    const at = now();
    let keys = keysAt((await keySet()).rows.values(), at);
    if (!keys.current || (!keys.scheduled && isDue(keys.current, at))) {
      await addKey({ schedule: true });
      keys = keysAt((set?.rows ?? new Map<string, SigningKeyRow>()).values(), now());
    }
    if (!keys.current) throw new Error('auth tokens: no signing key after adding one');
    return keys.current;
  }

  async function current(): Promise<SigningKey> {
    const row = await currentRow();
    try {
      return { kid: row.kid, privateKey: await privateKeyOf(row) };
    } catch (error) {
      // Sealed under another secret: its public half still verifies, but it can no longer sign.
      options.onUnreadableKey?.(row.kid, error);
      const kid = await addKey({ replace: row.kid });
      const replaced = set?.rows.get(kid);
      if (!replaced) throw new Error('auth tokens: no signing key after replacing one', { cause: error });
      return { kid: replaced.kid, privateKey: await privateKeyOf(replaced) };
    }
  }

  async function publicKey(kid: string): Promise<CryptoKey | undefined> {
    let row = (await keySet()).rows.get(kid);
    if (!row) row = (await keySet(UNKNOWN_KID_RELOAD_MS)).rows.get(kid);
    if (!row || expired(row, now())) return undefined;
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
      .filter((row) => !expired(row, at))
      .sort((a, b) => b.activatesAt.getTime() - a.activatesAt.getTime())
      .map((row) => row.publicJwk);
    return { keys };
  }

  return {
    current,
    publicKey,
    jwks,
    rotate: () => addKey({ force: true }),
    retentionMs,
    publishLeadMs,
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
