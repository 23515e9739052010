import { randomBytes } from 'node:crypto';
import { hash, parseOptions, verify, type Options } from '@node-rs/argon2';

/** Argon2id cost parameters (AUTH_ARGON2_*). */
export interface PasswordHashParams {
  readonly memoryKib: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/**
 * The defaults: 64 MiB, 4 passes, 1 lane — above OWASP's floor (19 MiB, t = 2, p = 1), chosen so
 * one hash takes ~55 ms on the reference machine (2 cores): slow for an offline attacker, cheap
 * enough that a sign-in stays fast.
 */
export const DEFAULT_PASSWORD_PARAMS: PasswordHashParams = { memoryKib: 65_536, timeCost: 4, parallelism: 1 };

/** NIST 800-63B: at least 8 characters, and accept at least 64 (we take up to 128). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const ARGON2ID = 2;

function argonOptions(params: PasswordHashParams): Options {
  return {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKib,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  };
}

/** An Argon2id PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), with a fresh random salt. */
export function hashPassword(password: string, params: PasswordHashParams = DEFAULT_PASSWORD_PARAMS): Promise<string> {
  return hash(password, argonOptions(params));
}

export interface PasswordCheck {
  readonly ok: boolean;
  /** The hash was made with other parameters than the current ones: store a new hash now that we have the password. */
  readonly needsRehash: boolean;
}

/**
 * Checks a password against a stored hash. A malformed stored hash is a failed check, not an
 * exception, so a corrupt row cannot change the response a client sees.
 */
export async function verifyPassword(
  stored: string,
  password: string,
  params: PasswordHashParams = DEFAULT_PASSWORD_PARAMS,
): Promise<PasswordCheck> {
  let ok: boolean;
  try {
    ok = await verify(stored, password);
  } catch {
    return { ok: false, needsRehash: false };
  }
  return { ok, needsRehash: ok && hashNeedsUpdate(stored, params) };
}

export function hashNeedsUpdate(stored: string, params: PasswordHashParams): boolean {
  try {
    const used = parseOptions(stored);
    return (
      used.algorithm !== ARGON2ID ||
      used.memoryCost !== params.memoryKib ||
      used.timeCost !== params.timeCost ||
      used.parallelism !== params.parallelism
    );
  } catch {
    return true;
  }
}

/**
 * A hash of a random password nobody knows, with the current parameters. Verifying against it
 * when an e-mail has no account (or no password) costs the same time as a real verification, so
 * response time does not tell which addresses have accounts.
 */
export function createDummyHash(params: PasswordHashParams): () => Promise<string> {
  let dummy: Promise<string> | undefined;
  return () => (dummy ??= hashPassword(randomBytes(32).toString('base64url'), params));
}
