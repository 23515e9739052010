import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from '../src/subpaths/config.js';

const SECRET = 'a-session-secret-of-at-least-32-chars!!';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadServerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('authTokens configuration', () => {
  it('defaults issuer and audience to PUBLIC_URL and the key secret to SESSION_SECRET', () => {
    const config = loadServerConfig({ PUBLIC_URL: 'https://blog.example.com/', SESSION_SECRET: SECRET });
    expect(config.authTokens).toEqual({
      issuer: 'https://blog.example.com',
      audience: 'https://blog.example.com',
      accessTokenTtlS: 900,
      clockSkewS: 30,
      refreshFamilyTtlS: 2_592_000,
      signingKeyRotationS: 604_800,
      signingKeySecret: SECRET,
      scopes: ['read', 'write'],
      apiKeyPrefix: 'cs_live_',
    });
  });

  it('takes every setting from the environment', () => {
    const config = loadServerConfig({
      AUTH_TOKEN_ISSUER: 'https://id.example.com',
      AUTH_TOKEN_AUDIENCE: 'api://blog',
      AUTH_ACCESS_TOKEN_TTL_S: '300',
      AUTH_TOKEN_CLOCK_SKEW_S: '5',
      AUTH_REFRESH_FAMILY_TTL_S: '86400',
      AUTH_SIGNING_KEY_ROTATION_S: '3600',
      AUTH_SIGNING_KEY_SECRET: 'k'.repeat(40),
      AUTH_TOKEN_SCOPES: 'posts:read posts:write',
      AUTH_API_KEY_PREFIX: 'fn_',
    });
    expect(config.authTokens).toEqual({
      issuer: 'https://id.example.com',
      audience: 'api://blog',
      accessTokenTtlS: 300,
      clockSkewS: 5,
      refreshFamilyTtlS: 86_400,
      signingKeyRotationS: 3600,
      signingKeySecret: 'k'.repeat(40),
      scopes: ['posts:read', 'posts:write'],
      apiKeyPrefix: 'fn_',
    });
  });

  it('says what is wrong with a bad value, and never shows the key secret', () => {
    const problems = problemsOf({
      AUTH_ACCESS_TOKEN_TTL_S: '5',
      AUTH_TOKEN_CLOCK_SKEW_S: '3600',
      AUTH_SIGNING_KEY_SECRET: 'short-secret-value',
      AUTH_TOKEN_SCOPES: 'read  "write"',
      AUTH_API_KEY_PREFIX: 'CS-',
    });
    expect(problems).toEqual([
      'AUTH_ACCESS_TOKEN_TTL_S: must be an integer from 60 to 86400; got "5"',
      'AUTH_TOKEN_CLOCK_SKEW_S: must be an integer from 0 to 300; got "3600"',
      'AUTH_SIGNING_KEY_SECRET: must be at least 32 characters; got a value of 18 characters (not shown: it is a secret)',
      'AUTH_TOKEN_SCOPES: must be scope names separated by single spaces (RFC 6749 scope syntax); got "read  \\"write\\""',
      'AUTH_API_KEY_PREFIX: must be lowercase letters and digits ending in _ (e.g. cs_live_); got "CS-"',
    ]);
  });
});
