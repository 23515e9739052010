import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from '../src/index.js';

describe('server configuration', () => {
  it('has working defaults for development and production', () => {
    expect(loadServerConfig({})).toMatchObject({ nodeEnv: 'development', host: '127.0.0.1', port: 3000, ssrTimeoutMs: 5000, publicUrl: 'http://localhost:3000' });
    expect(loadServerConfig({ NODE_ENV: 'production', PORT: '8080' })).toMatchObject({ host: '0.0.0.0', port: 8080, publicUrl: 'http://localhost:8080' });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadServerConfig({ PORT: 'eighty', NODE_ENV: 'staging', SSR_TIMEOUT_MS: '0', PUBLIC_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/PORT must be an integer between 0 and 65535; got "eighty"/);
    expect(problems.join('\n')).toMatch(/NODE_ENV must be one of production, development, test; got "staging"/);
    expect(problems.join('\n')).toMatch(/SSR_TIMEOUT_MS must be between 1 and 600000; got 0/);
    expect(problems.join('\n')).toMatch(/PUBLIC_URL must be an http\(s\) URL/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL must be one of/);
  });

  it('lets explicit overrides win over the environment', () => {
    expect(loadServerConfig({ PORT: '4000' }, { port: 5000 }).port).toBe(5000);
  });
});
