import { describe, expect, it } from 'vitest';
import type { Evidence } from '../src/index.js';
import { hardenedEvidence, PAGE_HTML, response } from './support/evidence.js';
import { check } from './support/find.js';

type Headers = Record<string, string | undefined>;

/** The hardened page with some headers replaced; `undefined` removes one. */
const pageWith = (headers: Headers, body = PAGE_HTML): Evidence =>
  hardenedEvidence({
    page: response('/', 200, { 'content-type': 'text/html', 'content-encoding': 'br', ...headers }, body),
  });

describe('Observatory grades per kind of response', () => {
  it('grades each kind, naming every penalty of a failing one', () => {
    const bare = { 'content-type': 'application/json' };
    const unprotected = Object.fromEntries(
      [
        'content-security-policy',
        'strict-transport-security',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
      ].map((name) => [name, undefined]),
    );
    const evidence = hardenedEvidence({ api: response('/api/posts', 200, { ...bare, ...unprotected }, '{}') });
    const api = check(evidence, 'grade.api');
    expect(api.status).toBe('fail');
    expect(api.detail).toMatch(/^D \(30\): /);
    for (const named of [
      'content-security-policy CspNotImplemented -25',
      'strict-transport-security HstsNotImplemented -20',
      'x-content-type-options XContentTypeOptionsNotImplemented -5',
      'x-frame-options XFrameOptionsNotImplemented -20',
    ]) {
      expect(api.detail).toContain(named);
    }
    expect(check(evidence, 'grade.page')).toMatchObject({ status: 'pass', detail: 'A+ (155) for 200 /' });
  });

  it('passes a grade at or above --min-grade', () => {
    // One-day HSTS: 100 - 10 = 90 before bonuses, so the bonuses count: 155 - 10 = A+ (145). Without
    // nosniff as well, 85 before bonuses: they are dropped, A- (85).
    const evidence = pageWith({ 'strict-transport-security': 'max-age=86400' });
    expect(check(evidence, 'grade.page').detail).toMatch(/^A\+ \(145\)/);
    const noNosniff = pageWith({ 'x-content-type-options': undefined, 'strict-transport-security': 'max-age=86400' });
    expect(check(noNosniff, 'grade.page').detail).toMatch(/^A- \(85\)/);
    expect(check(noNosniff, 'grade.page').status).toBe('fail');
    expect(check(noNosniff, 'grade.page', { minGrade: 'B' }).status).toBe('pass');
  });

  it('grades a 304 with the stored page it revalidates, not as empty HTML', () => {
    expect(check(hardenedEvidence(), 'grade.not-modified')).toMatchObject({
      status: 'pass',
      detail: 'A+ (155) for 304 /',
    });
  });

  it('uses the observed HTTP redirection in the grade', () => {
    const evidence = hardenedEvidence({
      httpRedirect: {
        from: 'http://blog.example.com/',
        explicit: false,
        response: { url: 'http://blog.example.com/', status: 200, headers: {}, body: 'hello' },
      },
    });
    expect(check(evidence, 'grade.page').detail).toContain('redirection RedirectionMissing -20');
  });

  it('skips what was not asked for or not found', () => {
    const { api: _, ...withoutApi } = hardenedEvidence();
    expect(check(withoutApi, 'grade.api')).toMatchObject({ status: 'skip', detail: 'skipped: no --api path given' });
    expect(check(hardenedEvidence({ assets: [] }), 'grade.asset').status).toBe('skip');
  });
});

describe('csp', () => {
  const csp = (policy: string | undefined) => pageWith({ 'content-security-policy': policy });

  it('fails a missing, report-only or unparseable policy in one line', () => {
    expect(check(csp(undefined), 'csp.enforced')).toMatchObject({
      status: 'fail',
      detail: 'missing Content-Security-Policy',
    });
    const reportOnly = pageWith({
      'content-security-policy': undefined,
      'content-security-policy-report-only': "default-src 'none'",
    });
    expect(check(reportOnly, 'csp.enforced').detail).toMatch(/Report-Only/);
    expect(check(csp("default-src 'self"), 'csp.enforced').detail).toMatch(/cannot be parsed/);
  });

  it.each([
    ["'unsafe-inline'", "default-src 'self'; script-src 'self' 'unsafe-inline'", "'unsafe-inline'"],
    ["'unsafe-eval'", "default-src 'self'; script-src 'self' 'unsafe-eval'", "'unsafe-eval'"],
    ["'unsafe-inline' inherited from default-src", "default-src 'self' 'unsafe-inline'", "'unsafe-inline'"],
    ['no script-src or default-src', "object-src 'none'", 'scripts unrestricted'],
  ])('fails script-src with %s', (_label, policy, named) => {
    const result = check(csp(policy), 'csp.script-src');
    expect(result.status).toBe('fail');
    expect(result.detail).toContain(named);
  });

  it("accepts 'unsafe-inline' beside a nonce (browsers ignore it), and a second policy that forbids it", () => {
    expect(check(csp("default-src 'self'; script-src 'nonce-abc' 'unsafe-inline'"), 'csp.script-src').status).toBe(
      'pass',
    );
    expect(check(csp("script-src 'unsafe-inline', script-src 'self'"), 'csp.script-src').status).toBe('pass');
  });

  it("requires object-src 'none', directly or through default-src", () => {
    expect(check(csp("default-src 'self'; script-src 'self'"), 'csp.object-src').status).toBe('fail');
    expect(check(csp("default-src 'none'; script-src 'self'"), 'csp.object-src').status).toBe('pass');
  });

  it('requires base-uri and frame-ancestors, which never fall back to default-src', () => {
    const noFallback = csp("default-src 'none'; script-src 'self'");
    expect(check(noFallback, 'csp.base-uri')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/missing base-uri/),
    });
    expect(check(noFallback, 'csp.frame-ancestors')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/missing frame-ancestors/),
    });
    const wide = csp("default-src 'none'; base-uri *; frame-ancestors https:");
    expect(check(wide, 'csp.base-uri').status).toBe('fail');
    expect(check(wide, 'csp.frame-ancestors').status).toBe('fail');
    const locked = csp("default-src 'none'; base-uri 'self'; frame-ancestors https://partner.example");
    expect(check(locked, 'csp.base-uri').status).toBe('pass');
    expect(check(locked, 'csp.frame-ancestors').status).toBe('pass');
  });

  it('is skipped when the target is not HTML', () => {
    const evidence = hardenedEvidence({ page: response('/', 200, { 'content-type': 'application/json' }, '{}') });
    expect(check(evidence, 'csp')).toMatchObject({ status: 'skip' });
  });
});

describe('headers.security', () => {
  it('names each missing header', () => {
    const result = check(
      pageWith({
        'x-content-type-options': undefined,
        'x-frame-options': undefined,
        'content-security-policy': "default-src 'none'",
        'referrer-policy': undefined,
      }),
      'headers.security',
    );
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('X-Content-Type-Options: nosniff');
    expect(result.detail).toContain('X-Frame-Options (DENY or SAMEORIGIN) or CSP frame-ancestors');
    expect(result.detail).toContain('Referrer-Policy');
  });

  it('warns about missing isolation headers and Permissions-Policy', () => {
    const result = check(
      pageWith({ 'cross-origin-opener-policy': undefined, 'permissions-policy': undefined }),
      'headers.security',
    );
    expect(result).toEqual({
      id: 'headers.security',
      status: 'warn',
      detail: 'recommended, missing: Cross-Origin-Opener-Policy, Permissions-Policy',
    });
  });
});
