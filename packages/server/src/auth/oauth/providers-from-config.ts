import type { ServerConfig } from '../../config/load-config.js';
import { createGitHubProvider } from './github-provider.js';
import { createOidcProvider } from './oidc-provider.js';
import type { OAuthProvider } from './provider.js';

/** The providers the environment configures, with redirect URIs on PUBLIC_URL. */
export function providersFromConfig(config: Pick<ServerConfig, 'oauth' | 'publicUrl'>): OAuthProvider[] {
  const callback = (id: string) => `${config.publicUrl}/auth/${id}/callback`;
  const providers: OAuthProvider[] = [];
  const { github, oidc } = config.oauth;
  if (github) providers.push(createGitHubProvider({ ...github, redirectUri: callback('github') }));
  if (oidc) {
    const { name, issuer, clientId, clientSecret, scopes } = oidc;
    providers.push(
      createOidcProvider({
        id: name,
        issuer,
        clientId,
        redirectUri: callback(name),
        scopes,
        ...(clientSecret ? { clientSecret } : {}),
      }),
    );
  }
  return providers;
}
