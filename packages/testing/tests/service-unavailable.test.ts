import { afterEach, describe, expect, it, vi } from 'vitest';
import { serviceUnavailable } from '../src/service-unavailable.js';

describe('a service a test needs is unavailable', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fails the run on CI, naming the service, so a broken pipeline never goes green by skipping', () => {
    vi.stubEnv('CI', 'true');
    expect(() => serviceUnavailable('PostgreSQL', 'connect ECONNREFUSED')).toThrow(
      /PostgreSQL is unavailable \(connect ECONNREFUSED\)\. CI must provide PostgreSQL/,
    );
  });

  it('skips loudly elsewhere', () => {
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(serviceUnavailable('Redis', 'no answer')).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SKIPPING tests that need Redis: Redis is unavailable/));
  });
});
