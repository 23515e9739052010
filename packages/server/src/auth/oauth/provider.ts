import {
  ArcticFetchError,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
  type OAuth2Client,
  type OAuth2Tokens,
} from 'arctic';
import { HttpError } from '../../errors/http-error.js';

/** Who the provider says signed in. */
export interface ProviderIdentity {
  /** The provider's stable id for the person; accounts are linked by it. */
  readonly subject: string;
  readonly email: string | undefined;
  /** True only when the provider itself vouches that the person controls `email`. */
  readonly emailVerified: boolean;
  readonly name: string | undefined;
}

/** What one sign-in attempt keeps between the redirect and the callback (in the flow cookie). */
export interface AuthorizationAttempt {
  readonly state: string;
  readonly codeVerifier: string;
  readonly nonce: string;
}

/** A sign-in provider: builds the authorization URL, then turns the callback's code into an identity. */
export interface OAuthProvider {
  /** Route segment: /auth/<id>. */
  readonly id: string;
  /** For messages: "GitHub", "Keycloak"… */
  readonly label: string;
  authorizationUrl(attempt: AuthorizationAttempt): Promise<URL>;
  /** Rejects with a 400 HttpError when the provider refuses the code, a 502 when it cannot be used. */
  identify(code: string, attempt: AuthorizationAttempt): Promise<ProviderIdentity>;
}

/** The provider did not answer, or answered something this server cannot use. */
export function providerFailure(label: string, what: string, cause?: unknown): HttpError {
  return new HttpError(502, 'OAUTH_PROVIDER_ERROR', `Sign-in with ${label} failed: ${what}. Try again later.`, {
    cause,
  });
}

/**
 * Redeems the authorization code with its PKCE verifier. A refusal (the code was already used, has
 * expired, or was issued for another verifier or redirect) is the client's problem, 400; anything
 * else is the provider's, 502.
 */
export async function exchangeCode(
  client: OAuth2Client,
  label: string,
  tokenEndpoint: string,
  code: string,
  codeVerifier: string,
): Promise<OAuth2Tokens> {
  let tokens: OAuth2Tokens;
  try {
    tokens = await client.validateAuthorizationCode(tokenEndpoint, code, codeVerifier);
  } catch (error) {
    if (error instanceof OAuth2RequestError) throw codeRefused(label, error.code, error);
    if (error instanceof UnexpectedErrorResponseBodyError && (error.status === 400 || error.status === 401))
      throw codeRefused(label, `HTTP ${error.status}`, error);
    if (error instanceof ArcticFetchError)
      throw providerFailure(label, 'its token endpoint could not be reached', error);
    if (error instanceof UnexpectedResponseError || error instanceof UnexpectedErrorResponseBodyError)
      throw providerFailure(label, `its token endpoint answered HTTP ${error.status}`, error);
    throw error;
  }
  // GitHub reports a bad code with 200 and an `error` field.
  const data = tokens.data as { error?: unknown; access_token?: unknown };
  if (typeof data.error === 'string') throw codeRefused(label, data.error);
  if (typeof data.access_token !== 'string') throw providerFailure(label, 'its token response had no access token');
  return tokens;
}

function codeRefused(label: string, reason: string, cause?: unknown): HttpError {
  return new HttpError(
    400,
    'OAUTH_CODE_REFUSED',
    `${label} refused the sign-in code (${reason}): it was already used, has expired, or belongs to another sign-in attempt. Start the sign-in again.`,
    { cause },
  );
}
