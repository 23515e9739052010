import { describe, expect, it } from 'vitest';
import type { Evidence } from '../src/index.js';
import { hardenedEvidence, noResponse, response } from './support/evidence.js';
import { check } from './support/find.js';

const redirect = (from: string, status: number, location?: string, explicit = false): Partial<Evidence> => ({
  httpRedirect: {
    from,
    explicit,
    response: {
      url: from,
      status,
      headers: location ? { location: [location] } : ({} as Record<string, string[]>),
      body: '',
    },
  },
});

describe('https.redirect', () => {
  it('passes a permanent redirect to HTTPS on the same host', () => {
    expect(check(hardenedEvidence(), 'https.redirect')).toMatchObject({ status: 'pass' });
  });

  it.each([
    ['to another host', 301, 'https://www.example.net/', /another host/],
    ['to plain HTTP', 301, 'http://blog.example.com/', /not to HTTPS/],
    ['not at all (200)', 200, undefined, /without redirecting/],
  ])('fails a redirect %s', (_label, status, location, detail) => {
    const evidence = hardenedEvidence(redirect('http://blog.example.com/', status, location));
    const result = check(evidence, 'https.redirect');
    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(detail);
  });

  it('passes when nothing listens on port 80, but fails when a named HTTP port does not answer', () => {
    const closed = (explicit: boolean) =>
      hardenedEvidence({
        httpRedirect: { from: 'http://blog.example.com/', explicit, response: noResponse('http://blog.example.com/') },
      });
    expect(check(closed(false), 'https.redirect')).toMatchObject({ status: 'pass' });
    expect(check(closed(true), 'https.redirect')).toMatchObject({ status: 'fail' });
  });

  it('skips on plain HTTP at a loopback address, unless HTTPS is required', () => {
    const local = (host: string) => {
      const { httpRedirect: _, ...rest } = hardenedEvidence({ target: new URL(`http://${host}:3000/`) });
      return rest;
    };
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(check(local(host), 'https.redirect')).toEqual({
        id: 'https.redirect',
        status: 'skip',
        detail: expect.stringMatching(/^skipped: not HTTPS/),
      });
      expect(check(local(host), 'https.hsts')).toMatchObject({ status: 'skip', detail: 'skipped: not HTTPS' });
    }
    expect(check(local('127.0.0.1'), 'https.redirect', { requireHttps: true }).status).toBe('fail');
    expect(check(local('127.0.0.1'), 'https.hsts', { requireHttps: true }).status).toBe('fail');
  });

  it('fails plain HTTP on a public host', () => {
    const { httpRedirect: _, ...evidence } = hardenedEvidence({ target: new URL('http://blog.example.com/') });
    expect(check(evidence, 'https.redirect')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/plain HTTP/),
    });
    expect(check(evidence, 'https.hsts').status).toBe('fail');
  });

  it('checks a given HTTP port of a plain-HTTP target for a redirect to HTTPS anywhere', () => {
    const evidence = hardenedEvidence({
      target: new URL('http://127.0.0.1:3000/'),
      ...redirect('http://127.0.0.1:3080/', 308, 'https://blog.example.com/', true),
    });
    expect(check(evidence, 'https.redirect')).toMatchObject({ status: 'pass' });
  });
});

describe('https.hsts', () => {
  const page = (hsts: string | undefined) =>
    hardenedEvidence({
      page: response('/', 200, { ...hardenedEvidence().page.headers, 'strict-transport-security': hsts }),
    });

  it.each([
    ['missing', undefined, /missing Strict-Transport-Security/],
    ['one day', 'max-age=86400', /below 15552000/],
    ['unparseable', 'max-age=soon', /cannot be parsed/],
  ])('fails HSTS %s', (_label, hsts, detail) => {
    const result = check(page(hsts), 'https.hsts');
    expect(result.status).toBe('fail');
    expect(result.detail).toMatch(detail);
  });

  it('passes six months or more, noting a missing includeSubDomains', () => {
    expect(check(page('max-age=31536000; includeSubDomains'), 'https.hsts').status).toBe('pass');
    expect(check(page('max-age=15552000'), 'https.hsts')).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/without includeSubDomains/),
    });
  });
});
