import type { Authenticator } from '../principal.js';
import type { AccessTokens } from './access-tokens.js';
import type { ApiKeys } from './api-keys.js';
import { InvalidTokenError } from './errors.js';

const BEARER = /^Bearer(?: +([A-Za-z0-9._~+/-]+=*))? *$/i;

/**
 * One authenticator for `Authorization: Bearer …`, telling the two credentials apart by shape: an
 * API key starts with its configured prefix, an access token is a three-part JWS. No Authorization
 * header, or another scheme (Basic…), is not this authenticator's business: undefined.
 */
export function createBearerAuthenticator(parts: {
  readonly accessTokens: AccessTokens;
  readonly apiKeys: ApiKeys;
}): Authenticator {
  const verify = async (header: string) => {
    const credential = BEARER.exec(header)?.[1];
    if (credential === undefined) throw new InvalidTokenError('The Authorization header has no bearer credential');
    if (parts.apiKeys.looksLikeKey(credential)) return parts.apiKeys.verify(credential);
    if (credential.split('.').length === 3) return parts.accessTokens.verify(credential);
    throw new InvalidTokenError('The bearer credential is neither an access token nor an API key');
  };
  return (request) => {
    const header = request.headers.authorization;
    if (header === undefined || !/^Bearer(?: |$)/i.test(header)) return undefined;
    return verify(header);
  };
}
