import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { exchangeCode, providerFailure, type OAuthProvider, type ProviderIdentity } from './provider.js';

export interface GitHubProviderOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** $PUBLIC_URL/auth/github/callback, as registered with the OAuth app. */
  readonly redirectUri: string;
  /** github.com's by default; a GitHub Enterprise Server's, or a stand-in's in tests. */
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
  readonly apiUrl?: string;
}

interface GitHubUser {
  readonly id: number;
  readonly login: string;
  readonly name: string | null;
}

interface GitHubEmail {
  readonly email: string;
  readonly primary: boolean;
  readonly verified: boolean;
}

/**
 * GitHub sign-in. Arctic's `GitHub` class has github.com's endpoints built in and sends no PKCE, so
 * this uses Arctic's generic OAuth2Client with the endpoints from configuration: PKCE on top of the
 * client secret (GitHub accepts S256), GitHub Enterprise Server works, and tests can point it at a
 * loopback stand-in. GitHub is not an OIDC provider: the e-mail and whether GitHub verified it come
 * from /user/emails, never from the profile's public `email` field (which the user types freely).
 */
export function createGitHubProvider(options: GitHubProviderOptions): OAuthProvider {
  const authorizeUrl = options.authorizeUrl ?? 'https://github.com/login/oauth/authorize';
  const tokenUrl = options.tokenUrl ?? 'https://github.com/login/oauth/access_token';
  const apiUrl = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const client = new OAuth2Client(options.clientId, options.clientSecret, options.redirectUri);
  const label = 'GitHub';

  async function api<T>(path: string, accessToken: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': '2022-11-28',
          'user-agent': 'composable-svelte',
        },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw providerFailure(label, `its API (${path}) could not be reached`, error);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw providerFailure(label, `its API answered HTTP ${response.status} for ${path}`);
    }
    return (await response.json()) as T;
  }

  return {
    id: 'github',
    label,
    async authorizationUrl({ state, codeVerifier }) {
      return client.createAuthorizationURLWithPKCE(authorizeUrl, state, CodeChallengeMethod.S256, codeVerifier, [
        'read:user',
        'user:email',
      ]);
    },
    async identify(code, { codeVerifier }): Promise<ProviderIdentity> {
      const tokens = await exchangeCode(client, label, tokenUrl, code, codeVerifier);
      const accessToken = tokens.accessToken();
      const [user, emails] = await Promise.all([
        api<GitHubUser>('/user', accessToken),
        api<GitHubEmail[]>('/user/emails', accessToken),
      ]);
      if (typeof user?.id !== 'number') throw providerFailure(label, '/user had no numeric id');
      const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary) : undefined;
      return {
        subject: String(user.id),
        email: primary?.email,
        emailVerified: primary?.verified === true,
        name: user.name || user.login,
      };
    },
  };
}
