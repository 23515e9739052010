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
      'SESSION_SECRET: must be at least 32 characters; got a value of 5 characters (not shown: it is a secret)',
    ]);
    expect(problemsOf({ CORS_CREDENTIALS: 'true' })).toEqual(['CORS_CREDENTIALS=true needs explicit CORS_ORIGINS']);
  });

  it('lets explicit overrides win over the environment', () => {
    expect(loadServerConfig({ PORT: '4000' }, { port: 5000 }).port).toBe(5000);
  });

  it('never prints a secret or the password of a connection URL, only what is wrong with it', () => {
    const secrets = ['sEcReT-sh0rt', 'hunter2-redis', 'hunter2-pg', 'tok-9x', 'pg-query-s3cret', 'hunter2-unparsable'];
    const env = {
      SESSION_SECRET: secrets[0]!,
      REDIS_URL: `http://cache-user:${secrets[1]}@cache.internal:6379/0`,
      DATABASE_URL: `mysql://app:${secrets[2]}@db.internal/blog?sslmode=require&password=${secrets[4]}`,
      METRICS_TOKEN: secrets[3]!,
    };
    const problems = problemsOf(env);
    expect(problems).toEqual([
      'SESSION_SECRET: must be at least 32 characters; got a value of 12 characters (not shown: it is a secret)',
      'REDIS_URL: must be a redis:// or rediss:// URL; got "http://cache-user:[redacted]@cache.internal:6379/0"',
      'DATABASE_URL: must be a postgres:// or postgresql:// URL; got "mysql://app:[redacted]@db.internal/blog?sslmode=require&password=[redacted]"',
      'METRICS_TOKEN: must be at least 16 characters; got a value of 6 characters (not shown: it is a secret)',
    ]);
    const unparsable = problemsOf({ REDIS_URL: `redis://user:${secrets[5]}@cache.internal:port` });
    expect(unparsable).toEqual([
      'REDIS_URL: must be a valid URL; got a value that is not a URL (not shown: it may hold a password)',
    ]);
    const message = [...problems, ...unparsable].join('\n');
    for (const secret of secrets) expect(message, secret).not.toContain(secret);
  });
});
