import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError } from '../../errors/http-error.js';
import { exchangeCode, providerFailure, type OAuthProvider, type ProviderIdentity } from './provider.js';

export interface OidcProviderOptions {
  /** Route segment (/auth/<id>); default `oidc`. */
  readonly id?: string;
  /** For messages; default the issuer's host. */
  readonly label?: string;
  /** The issuer URL; its discovery document is at <issuer>/.well-known/openid-configuration. */
  readonly issuer: string;
  readonly clientId: string;
  /** Unset for a public client, which PKCE alone protects. */
  readonly clientSecret?: string;
  /** $PUBLIC_URL/auth/<id>/callback, as registered with the provider. */
  readonly redirectUri: string;
  /** Default openid, email, profile. */
  readonly scopes?: readonly string[];
  /** Allowed difference between this server's clock and the provider's; default 60 s. */
  readonly clockToleranceS?: number;
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly id_token_signing_alg_values_supported?: readonly string[];
}

interface IdTokenClaims extends JWTPayload {
  nonce?: unknown;
  azp?: unknown;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  preferred_username?: unknown;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * A generic OpenID Connect provider found by discovery. The ID token is the identity: verified with
 * jose against the provider's published keys (JWKS, refetched when a new key id appears), with
 * the issuer, audience, expiry and this attempt's nonce checked and only the asymmetric algorithms
 * the provider announces accepted — so neither `none` nor an HMAC keyed with a public key passes.
 */
export function createOidcProvider(options: OidcProviderOptions): OAuthProvider {
  const id = options.id ?? 'oidc';
  const label = options.label ?? new URL(options.issuer).host;
  const scopes = [...(options.scopes ?? ['openid', 'email', 'profile'])];
  const client = new OAuth2Client(options.clientId, options.clientSecret ?? null, options.redirectUri);
  let discovered: Promise<{ doc: Discovery; keys: ReturnType<typeof createRemoteJWKSet> }> | undefined;

  function discover() {
    discovered ??= loadDiscovery().catch((error: unknown) => {
      // A provider that was down must not stay "down" for the life of the process.
      discovered = undefined;
      throw error;
    });
    return discovered;
  }

  async function loadDiscovery() {
    const url = `${trimSlash(options.issuer)}/.well-known/openid-configuration`;
    let doc: Discovery;
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw providerFailure(label, `its discovery document (${url}) answered HTTP ${response.status}`);
      }
      doc = (await response.json()) as Discovery;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw providerFailure(label, `its discovery document (${url}) could not be read`, error);
    }
    for (const field of ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof doc[field] !== 'string') throw providerFailure(label, `its discovery document has no ${field}`);
    }
    // OpenID Connect Discovery §4.3: a document naming another issuer is not this provider's.
    if (trimSlash(doc.issuer) !== trimSlash(options.issuer))
      throw providerFailure(label, `its discovery document names the issuer ${doc.issuer}, not ${options.issuer}`);
    return { doc, keys: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 10_000 }) };
  }

  async function verifyIdToken(idToken: string, nonce: string): Promise<IdTokenClaims> {
    const { doc, keys } = await discover();
    const announced = doc.id_token_signing_alg_values_supported ?? ['RS256'];
    const algorithms = announced.filter((alg) => alg !== 'none' && !alg.startsWith('HS'));
    let claims: IdTokenClaims;
    try {
      ({ payload: claims } = await jwtVerify<IdTokenClaims>(idToken, keys, {
        issuer: doc.issuer,
        audience: options.clientId,
        algorithms,
        clockTolerance: options.clockToleranceS ?? 60,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? `${error.code}: ${error.message}` : String(error);
      throw providerFailure(label, `its ID token did not verify (${reason})`, error);
    }
    // OIDC Core §3.1.3.7: with several audiences, the token must have been issued to this client.
    if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== options.clientId)
      throw providerFailure(label, 'its ID token was issued to another client (azp)');
    if (claims.nonce !== nonce)
      throw new HttpError(
        400,
        'OAUTH_NONCE_MISMATCH',
        `The ID token from ${label} does not belong to this sign-in attempt (nonce mismatch): it may be a replay. Start the sign-in again.`,
      );
    return claims;
  }

  return {
    id,
    label,
    async authorizationUrl({ state, codeVerifier, nonce }) {
      const { doc } = await discover();
      const url = client.createAuthorizationURLWithPKCE(
        doc.authorization_endpoint,
        state,
        CodeChallengeMethod.S256,
        codeVerifier,
        scopes,
      );
      url.searchParams.set('nonce', nonce);
      return url;
    },
    async identify(code, { codeVerifier, nonce }): Promise<ProviderIdentity> {
      const { doc } = await discover();
      const tokens = await exchangeCode(client, label, doc.token_endpoint, code, codeVerifier);
      const idToken = (tokens.data as { id_token?: unknown }).id_token;
      if (typeof idToken !== 'string') throw providerFailure(label, 'its token response had no ID token');
      const claims = await verifyIdToken(idToken, nonce);
      const email = typeof claims.email === 'string' && claims.email.includes('@') ? claims.email : undefined;
      const name = [claims.name, claims.preferred_username].find((value) => typeof value === 'string' && value);
      return {
        subject: claims.sub!,
        email,
        // Some providers (Cognito) send the claim as a string.
        emailVerified: email !== undefined && (claims.email_verified === true || claims.email_verified === 'true'),
        name: name as string | undefined,
      };
    },
  };
}
