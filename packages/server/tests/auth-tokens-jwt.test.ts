/**
 * Access tokens as properties: what is signed verifies to the same principal; any change to a
 * token, any other algorithm, any other key, issuer, audience or type is refused; expiry holds
 * to the second with the configured skew.
 */
import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import type { Database } from '../src/db/open-database.js';
import { createTokenServices, InvalidTokenError, type TokenServices } from '../src/auth/tokens/index.js';
import { embeddedTier } from '@composable-svelte/testing';
import { AUTH_TOKENS_MIGRATIONS, SETTINGS, testClock, verifyCredentialsOver } from './support/auth-tokens.js';

let database: Database<Record<string, unknown>>;
let dispose: () => Promise<void>;
const clock = testClock();
let services: TokenServices;

beforeAll(async () => {
  ({ database, dispose } = await embeddedTier.fresh());
  await migrate(database.db, AUTH_TOKENS_MIGRATIONS);
  const db = () => database.db;
  services = createTokenServices({
    db,
    settings: SETTINGS,
    verifyCredentials: verifyCredentialsOver(db),
    now: clock.now,
  });
}, 30_000);
afterAll(() => dispose());

const viewerArb = fc.record({
  id: fc.integer({ min: 1, max: 2_147_483_647 }),
  name: fc.string({ unit: 'grapheme', maxLength: 40 }),
  roles: fc.uniqueArray(fc.constantFrom('author', 'admin', 'reader', 'ünïcode-rôle'), { maxLength: 3 }),
});
const scopesArb = fc.subarray([...SETTINGS.scopes]);

async function rejection(token: string): Promise<unknown> {
  return services.accessTokens.verify(token).then(
    () => undefined,
    (error: unknown) => error,
  );
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('verify to the principal they were issued for', async () => {
    await fc.assert(
      fc.asyncProperty(viewerArb, scopesArb, async (viewer, scopes) => {
        const { token, expiresIn } = await services.accessTokens.issue(viewer, scopes);
        expect(expiresIn).toBe(900);
        expect(await services.accessTokens.verify(token)).toEqual({ viewer, via: 'access-token', scopes });
      }),
      { numRuns: 100 },
    );
  });

  it('carry iss, aud, sub, exp, iat, jti and scope, signed EdDSA with a kid', async () => {
    const { token } = await services.accessTokens.issue({ id: 7, name: 'Ada', roles: ['author'] }, ['read']);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const { kid } = await services.signingKeys.current();
    expect(header).toEqual({ alg: 'EdDSA', kid, typ: 'at+jwt' });
    const now = Math.floor(clock.now() / 1000);
    expect(payload).toMatchObject({ iss: SETTINGS.issuer, aud: SETTINGS.audience, sub: '7', scope: 'read' });
    expect(payload.iat).toBe(now);
    expect(payload.exp).toBe(now + 900);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuse any changed character, anywhere in the token', async () => {
    const { token } = await services.accessTokens.issue({ id: 1, name: 'A', roles: [] }, ['read', 'write']);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.='.split('');
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), async (index, replacement) => {
        fc.pre(token[index] !== replacement);
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        expect(await rejection(tampered)).toBeInstanceOf(InvalidTokenError);
      }),
      { numRuns: 300 },
    );
  });

  it('refuse any changed byte of the decoded header, payload or signature', async () => {
    const { token } = await services.accessTokens.issue({ id: 1, name: 'A', roles: [] }, ['read']);
    const parts = token.split('.').map((part) => Buffer.from(part, 'base64url'));
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (segment, offset, mask) => {
          const bytes = Buffer.from(parts[segment]!);
          bytes[offset % bytes.length]! ^= mask;
          const copy = parts.map((part, i) => (i === segment ? bytes : part).toString('base64url'));
          expect(await rejection(copy.join('.'))).toBeInstanceOf(InvalidTokenError);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuse every other algorithm: none, HS256 keyed with the public key, RS256, ES256', async () => {
    const { kid } = await services.signingKeys.current();
    const [jwk] = (await services.signingKeys.jwks()).keys.filter((key) => key.kid === kid);
    const publicBytes = Buffer.from(jwk!.x!, 'base64url');
    const rsa = await generateKeyPair('RS256');
    const ec = await generateKeyPair('ES256');
    const secrets = [publicBytes, Buffer.from(JSON.stringify(jwk)), Buffer.from(jwk!.x!)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'EdDSA-unsigned'),
        fc.nat({ max: secrets.length - 1 }),
        async (alg, secretIndex) => {
          const now = Math.floor(clock.now() / 1000);
          const claims: JWTPayload = {
            iss: SETTINGS.issuer,
            aud: SETTINGS.audience,
            sub: '1',
            jti: 'x',
            iat: now,
            exp: now + 900,
            scope: 'admin',
            name: 'Mallory',
            roles: ['admin'],
          };
          let token: string;
          if (alg === 'none' || alg === 'EdDSA-unsigned') {
            const header = { alg: alg === 'none' ? 'none' : 'EdDSA', kid, typ: 'at+jwt' };
            token = `${b64(header)}.${b64(claims)}.${alg === 'none' ? '' : 'AAAA'}`;
          } else {
            const key = alg === 'HS256' ? secrets[secretIndex]! : alg === 'RS256' ? rsa.privateKey : ec.privateKey;
            token = await new SignJWT(claims).setProtectedHeader({ alg, kid, typ: 'at+jwt' }).sign(key);
          }
          expect(await rejection(token)).toBeInstanceOf(InvalidTokenError);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuse a token of another issuer, audience, type or key', async () => {
    const foreign = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const { kid, privateKey } = await services.signingKeys.current();
    const now = Math.floor(clock.now() / 1000);
    const claims = { sub: '1', jti: 'j', scope: 'read', name: 'n', roles: [] };
    const sign = (over: { iss?: string; aud?: string; typ?: string; key?: typeof privateKey; kid?: string }) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: over.kid ?? kid, typ: over.typ ?? 'at+jwt' })
        .setIssuer(over.iss ?? SETTINGS.issuer)
        .setAudience(over.aud ?? SETTINGS.audience)
        .setIssuedAt(now)
        .setExpirationTime(now + 900)
        .sign(over.key ?? privateKey);
    // The control: signed exactly as the server signs, it is accepted.
    await expect(services.accessTokens.verify(await sign({}))).resolves.toMatchObject({ viewer: { id: 1 } });
    const cases = {
      issuer: await sign({ iss: 'https://evil.example' }),
      audience: await sign({ aud: 'https://other-api.example' }),
      type: await sign({ typ: 'JWT' }),
      'foreign key, our kid': await sign({ key: foreign.privateKey }),
      'unknown kid': await sign({ key: foreign.privateKey, kid: 'not-a-key-of-ours' }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const error = await rejection(token);
      expect(error, name).toBeInstanceOf(InvalidTokenError);
      expect((error as InvalidTokenError).statusCode).toBe(401);
      expect((error as InvalidTokenError).headers?.['www-authenticate']).toMatch(
        /^Bearer error="invalid_token", error_description="/,
      );
    }
    expect((await rejection(cases['unknown kid'])) as Error).toHaveProperty(
      'message',
      'The access token is signed by a key this server does not know',
    );
  });

  it('expire at exp, give or take exactly the configured skew', async () => {
    const skew = SETTINGS.clockSkewS;
    const issuedAtMs = clock.now();
    const { token } = await services.accessTokens.issue({ id: 3, name: 'C', roles: [] }, ['read']);
    const iat = Math.floor(issuedAtMs / 1000);
    const exp = iat + SETTINGS.accessTokenTtlS;
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: -SETTINGS.accessTokenTtlS - 2 * skew, max: 3 * skew }), async (offset) => {
          clock.ms = (exp + offset) * 1000;
          const accepted = (await rejection(token)) === undefined;
          // Valid from iat - skew (a verifier whose clock is behind) until exp + skew, exclusive.
          const expected = offset < skew && exp + offset >= iat - skew;
          expect(accepted).toBe(expected);
        }),
        {
          numRuns: 200,
          examples: [
            [skew - 1],
            [skew],
            [0],
            [-SETTINGS.accessTokenTtlS - skew],
            [-SETTINGS.accessTokenTtlS - skew - 1],
          ],
        },
      );
      clock.ms = (exp + skew) * 1000;
      expect(((await rejection(token)) as Error).message).toBe('The access token has expired');
    } finally {
      clock.ms = issuedAtMs;
    }
  });
});
