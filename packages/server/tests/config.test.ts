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

describe('server configuration', () => {
  it('has working defaults per NODE_ENV', () => {
    expect(loadServerConfig({})).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      ssrTimeoutMs: 5000,
      publicUrl: 'http://localhost:3000',
      logLevel: 'info',
      trustProxy: false,
    });
    expect(loadServerConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadServerConfig({ NODE_ENV: 'production', PORT: '8080', SESSION_SECRET: SECRET })).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      sessionSecret: SECRET,
    });
  });

  it('converts typed values', () => {
    const config = loadServerConfig({
      RATE_LIMIT_ENABLED: 'false',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      MAX_URI_LENGTH: '2048',
    });
    expect(config.rateLimit.enabled).toBe(false);
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.cors.origins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.limits.uriLength).toBe(2048);
    expect(loadServerConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(config.warnings).toContain('rate limiting is off (RATE_LIMIT_ENABLED=false)');
  });

  it('lists every problem at once, each naming the variable, what it must be and what it got', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      NODE_ENV: 'staging',
      SSR_TIMEOUT_MS: '0',
      PUBLIC_URL: 'ftp://x',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'proxy.internal',
      CORS_ORIGINS: 'https://x.example/',
    });
    expect(problems).toEqual([
      'NODE_ENV: must be one of production, development, test; got "staging"',
      'PORT: must be an integer from 0 to 65535; got "eighty"',
      'PUBLIC_URL: must be an absolute http(s) URL; got "ftp://x"',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
      'SSR_TIMEOUT_MS: must be an integer from 1 to 600000; got "0"',
      'TRUST_PROXY: not an address, CIDR, hop count or boolean: proxy.internal',
      'CORS_ORIGINS: "https://x.example/" is not an origin like https://app.example.com (no path, no trailing slash, no wildcard)',
    ]);
  });

  it('requires a long SESSION_SECRET in production, and CORS credentials only with explicit origins', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET: required in production/),
    ]);
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual([
      'SESSION_SECRET: must be at least 32 characters; got "short"',
    ]);
    expect(problemsOf({ CORS_CREDENTIALS: 'true' })).toEqual(['CORS_CREDENTIALS=true needs explicit CORS_ORIGINS']);
  });

  it('lets explicit overrides win over the environment', () => {
    expect(loadServerConfig({ PORT: '4000' }, { port: 5000 }).port).toBe(5000);
  });
});
