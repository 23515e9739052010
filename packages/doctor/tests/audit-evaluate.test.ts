import { describe, expect, it } from 'vitest';
import { evaluate, summarize } from '../src/index.js';
import { hardenedEvidence } from './support/evidence.js';

describe('a hardened deployment', () => {
  it('passes every check, with nothing skipped, over HTTPS', () => {
    const results = evaluate(hardenedEvidence());
    expect(results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(results.map((r) => r.id)).toEqual([
      'page',
      'probe.health',
      'probe.ready',
      'grade.page',
      'grade.not-found',
      'grade.asset',
      'grade.api',
      'grade.not-modified',
      'https.redirect',
      'https.hsts',
      'csp.enforced',
      'csp.script-src',
      'csp.object-src',
      'csp.base-uri',
      'csp.frame-ancestors',
      'headers.security',
      'cookies',
      'cache.assets-immutable',
      'cache.html-not-immutable',
      'cache.page-304',
      'cache.asset-304',
      'compression.html',
      'compression.js',
      'errors.malformed-url',
      'errors.no-stack-trace',
      'errors.no-version-strings',
      'headers.no-version-leak',
      'source-maps',
      'metrics.not-public',
      'trace-refused',
      'request-id',
    ]);
  });

  it('is reported ready only while no check fails; warnings and skips do not count', () => {
    const report = summarize('https://x/', 'https://x/', [
      { id: 'a', status: 'pass', detail: '' },
      { id: 'b', status: 'warn', detail: '' },
      { id: 'c', status: 'skip', detail: '' },
    ]);
    expect(report).toMatchObject({ ok: true, counts: { pass: 1, warn: 1, skip: 1, fail: 0 } });
    expect(summarize('https://x/', 'https://x/', [{ id: 'a', status: 'fail', detail: '' }]).ok).toBe(false);
  });
});
