import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Principal, Viewer } from '../principal.js';
import { InvalidTokenError } from './errors.js';
import { SIGNING_ALGORITHM, type SigningKeys } from './signing-keys.js';

/** RFC 9068's media type for JWT access tokens: an ID token or another JWT of this issuer is not one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export interface AccessTokensOptions {
  readonly keys: SigningKeys;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlS: number;
  readonly clockSkewS: number;
  readonly now?: () => number;
}

export interface AccessTokens {
  /** A signed token for `viewer` carrying `scopes`, and its lifetime in seconds. */
  issue(viewer: Viewer, scopes: readonly string[]): Promise<{ token: string; expiresIn: number }>;
  /** The principal a token proves; rejects with {@link InvalidTokenError} saying what is wrong with it. */
  verify(token: string): Promise<Principal>;
}

interface AccessTokenPayload extends JWTPayload {
  scope: string;
  name: string;
  roles: string[];
}

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;
const USER_ID = /^[1-9][0-9]{0,9}$/;

/**
 * Whether `token` is three base64url segments in canonical form. Node's decoder ignores the unused
 * low bits of a segment's last character, so several strings would decode to the same signature:
 * accepting only the canonical one makes every token string unique (no malleable copies).
 */
function isCompactJws(token: string): boolean {
  const segments = token.split('.');
  return (
    segments.length === 3 &&
    segments.every(
      (segment) =>
        BASE64URL_SEGMENT.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment,
    )
  );
}

/** jose's errors in words for the client; none of them reveals more than what the token itself says. */
function describe(error: unknown): string {
  if (error instanceof InvalidTokenError) return error.message;
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The access token's ${error.claim} is not accepted here`;
  if (error instanceof errors.JOSEAlgNotAllowed)
    return `The access token's algorithm is not accepted (only ${SIGNING_ALGORITHM})`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The access token signature does not verify';
  return 'The access token is malformed';
}

/**
 * EdDSA (Ed25519) JWT access tokens. Verification pins everything an attacker could otherwise
 * choose: the algorithm (EdDSA only, so no `none` and no HS256 keyed with the public key), the key
 * (by `kid`, from this server's own set, never from the token), the type, issuer and audience; exp
 * and iat are checked with a bounded clock skew.
 */
export function createAccessTokens(options: AccessTokensOptions): AccessTokens {
  const now = options.now ?? Date.now;
  const { keys, issuer, audience, ttlS, clockSkewS } = options;

  async function issue(viewer: Viewer, scopes: readonly string[]) {
    const { kid, privateKey } = await keys.current();
    const issuedAt = Math.floor(now() / 1000);
    const payload: Omit<AccessTokenPayload, keyof JWTPayload> & JWTPayload = {
      scope: scopes.join(' '),
      name: viewer.name,
      roles: [...viewer.roles],
    };
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(String(viewer.id))
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttlS)
      .sign(privateKey);
    return { token, expiresIn: ttlS };
  }

  async function verify(token: string): Promise<Principal> {
    if (!isCompactJws(token)) throw new InvalidTokenError('The access token is malformed');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        async (header) => {
          if (header.alg !== SIGNING_ALGORITHM) throw new errors.JOSEAlgNotAllowed('algorithm not allowed');
          const key = typeof header.kid === 'string' ? await keys.publicKey(header.kid) : undefined;
          if (!key) throw new InvalidTokenError('The access token is signed by a key this server does not know');
          return key;
        },
        {
          algorithms: [SIGNING_ALGORITHM],
          typ: ACCESS_TOKEN_TYPE,
          issuer,
          audience,
          clockTolerance: clockSkewS,
          maxTokenAge: ttlS,
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'jti', 'exp', 'iat'],
        },
      ));
    } catch (error) {
      throw new InvalidTokenError(describe(error), { cause: error });
    }
    const { sub, scope, name, roles } = payload as Partial<AccessTokenPayload>;
    if (
      typeof sub !== 'string' ||
      !USER_ID.test(sub) ||
      typeof scope !== 'string' ||
      typeof name !== 'string' ||
      !Array.isArray(roles) ||
      !roles.every((role) => typeof role === 'string')
    ) {
      throw new InvalidTokenError('The access token is missing sub, scope, name or roles');
    }
    return {
      viewer: { id: Number(sub), name, roles },
      via: 'access-token',
      scopes: scope === '' ? [] : scope.split(' '),
    };
  }

  return { issue, verify };
}
