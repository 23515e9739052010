/**
 * The oauth and mail configuration: what the environment enables, what it refuses (in words, with
 * secrets never printed), and the providers and redirect URIs it yields.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providersFromConfig } from '../src/auth/oauth/providers-from-config.js';
import { safeNext } from '../src/auth/safe-next.js';
import { ConfigError, loadServerConfig } from '../src/config/load-config.js';

const BASE = { NODE_ENV: 'test', PUBLIC_URL: 'https://field-notes.test' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadServerConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('oauth and mail configuration', () => {
  it('has no provider and writes mail to .data/mail by default', () => {
    const config = loadServerConfig(BASE);
    expect(config.oauth).toEqual({ github: undefined, oidc: undefined });
    expect(config.mail).toEqual({
      smtpUrl: undefined,
      dir: '.data/mail',
      from: 'no-reply@field-notes.test',
      perAddressMax: 5,
      resetTtlMs: 1_800_000,
      verificationTtlMs: 86_400_000,
    });
    expect(providersFromConfig(config)).toEqual([]);
  });

  it('refuses half-configured providers and bad values, without printing secrets', () => {
    expect(problems({ OAUTH_GITHUB_CLIENT_ID: 'id' })).toEqual([
      'OAUTH_GITHUB_CLIENT_ID and OAUTH_GITHUB_CLIENT_SECRET: set both or neither',
    ]);
    expect(problems({ OAUTH_OIDC_ISSUER: 'https://id.example.com' })).toEqual([
      'OAUTH_OIDC_ISSUER and OAUTH_OIDC_CLIENT_ID: set both or neither',
    ]);
    expect(problems({ OAUTH_OIDC_SCOPES: 'email profile' })).toEqual([
      'OAUTH_OIDC_SCOPES: must include openid; got "email profile"',
    ]);
    expect(problems({ OAUTH_OIDC_NAME: '../admin' })[0]).toMatch(/^OAUTH_OIDC_NAME: must be lowercase letters/);
    const smtp = problems({ SMTP_URL: 'http://mailer:hunter2@smtp.example.com' });
    expect(smtp).toHaveLength(1);
    expect(smtp[0]).toMatch(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(smtp[0]).not.toContain('hunter2');
    expect(problems({ PASSWORD_RESET_TTL_MS: '1000' })).toEqual([
      'PASSWORD_RESET_TTL_MS: must be an integer from 60000 to 86400000; got "1000"',
    ]);
  });

  it('builds GitHub and OIDC providers with callbacks on PUBLIC_URL', async () => {
    const config = loadServerConfig({
      ...BASE,
      OAUTH_GITHUB_CLIENT_ID: 'gh-id',
      OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret',
      OAUTH_GITHUB_AUTHORIZE_URL: 'https://ghe.example.com/login/oauth/authorize',
      OAUTH_OIDC_ISSUER: 'https://id.example.com/realms/main',
      OAUTH_OIDC_CLIENT_ID: 'field-notes',
      OAUTH_OIDC_NAME: 'keycloak',
      MAIL_FROM: 'Field Notes <hello@field-notes.test>',
    });
    expect(config.oauth.oidc).toEqual({
      name: 'keycloak',
      issuer: 'https://id.example.com/realms/main',
      clientId: 'field-notes',
      clientSecret: undefined,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(config.mail.from).toBe('Field Notes <hello@field-notes.test>');
    const providers = providersFromConfig(config);
    expect(providers.map((provider) => provider.id)).toEqual(['github', 'keycloak']);
    const url = await providers[0]!.authorizationUrl({ state: 's', codeVerifier: 'v'.repeat(43), nonce: 'n' });
    expect(url.origin + url.pathname).toBe('https://ghe.example.com/login/oauth/authorize');
    expect(url.searchParams.get('redirect_uri')).toBe('https://field-notes.test/auth/github/callback');
    expect(url.searchParams.get('scope')).toBe('read:user user:email');
  });
});

describe('the return path after signing in', () => {
  it('never leaves the site, whatever the query says', () => {
    const site = 'https://field-notes.test';
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          fc.webUrl(),
          fc.webPath(),
          fc.constantFrom('//evil.test/x', '/\\evil.test', '/\t/evil.test', '/%2F%2Fevil.test', 'javascript:alert(1)'),
        ),
        (next) => {
          const result = safeNext(next, '/');
          expect(new URL(result, site).origin).toBe(site);
          // Kept paths come back as the URL parser normalises them (`/a/.` is `/a/`).
          expect(result === '/' || new URL(result, site).href === new URL(next, site).href).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
    expect(safeNext('/posts/3?page=2#c', '/')).toBe('/posts/3?page=2#c');
  });
});
