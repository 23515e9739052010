import { describe, expect, it } from 'vitest';
import { asset, hardenedEvidence, PAGE_HTML, response } from './support/evidence.js';
import { check } from './support/find.js';
import { isHashedAsset } from '../src/audit/checks/caching.js';

describe('isHashedAsset', () => {
  it.each([
    ['/assets/entry-DIa_uwaX.js', true],
    ['/assets/entry-Uwx-uiRM.css', true],
    ['/static/app.3f2a9c1b.js', true],
    ['/static/chunk-vendors.min.mjs', false],
    ['/js/my-component.js', false],
    ['/app.js', false],
  ])('%s: %s', (path, hashed) => {
    expect(isHashedAsset(`https://x${path}`)).toBe(hashed);
  });
});

describe('caching', () => {
  it('fails a hashed asset that is not immutable or not cached for a year', () => {
    const evidence = hardenedEvidence({
      assets: [asset('/assets/entry-DIa_uwaX.js', 'script', { 'cache-control': 'public, max-age=3600' })],
    });
    const result = check(evidence, 'cache.assets-immutable');
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('/assets/entry-DIa_uwaX.js: no immutable, max-age 3600 < 31536000');
  });

  it('skips the immutability check when the page loads nothing hashed', () => {
    const evidence = hardenedEvidence({ assets: [asset('/app.js', 'script', { 'cache-control': 'no-cache' })] });
    expect(check(evidence, 'cache.assets-immutable').status).toBe('skip');
  });

  it('fails HTML marked immutable', () => {
    const page = response(
      '/',
      200,
      { 'content-type': 'text/html', 'cache-control': 'public, max-age=31536000, immutable' },
      PAGE_HTML,
    );
    expect(check(hardenedEvidence({ page }), 'cache.html-not-immutable')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('HTML marked immutable'),
    });
  });

  it('fails a page without validator, and a revalidation answered 200', () => {
    const { pageRevalidated: _, ...noValidator } = hardenedEvidence();
    expect(check(noValidator, 'cache.page-304')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/no ETag or Last-Modified/),
    });
    const full = hardenedEvidence({ pageRevalidated: response('/', 200, { 'content-type': 'text/html' }, PAGE_HTML) });
    expect(check(full, 'cache.page-304')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not 304/) });
    const withBody = hardenedEvidence({ pageRevalidated: response('/', 304, {}, 'oops') });
    expect(check(withBody, 'cache.page-304').detail).toMatch(/carries a body/);
  });

  it('checks the asset revalidation too', () => {
    const stale = asset('/assets/entry-DIa_uwaX.js', 'script');
    const evidence = hardenedEvidence({
      assets: [{ ...stale, revalidated: response('/assets/entry-DIa_uwaX.js', 200, {}, 'x') }],
    });
    expect(check(evidence, 'cache.asset-304').status).toBe('fail');
    expect(check(hardenedEvidence(), 'cache.asset-304')).toMatchObject({
      status: 'pass',
      detail: '/assets/entry-DIa_uwaX.js with If-None-Match → 304',
    });
  });
});

describe('compression', () => {
  it('fails HTML and JavaScript sent uncompressed when br and gzip were offered', () => {
    const page = response('/', 200, { 'content-type': 'text/html', 'content-encoding': undefined }, PAGE_HTML);
    const script = asset('/assets/entry-DIa_uwaX.js', 'script', { 'content-encoding': 'deflate' });
    const evidence = hardenedEvidence({ page, assets: [script] });
    expect(check(evidence, 'compression.html')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/uncompressed/),
    });
    expect(check(evidence, 'compression.js')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/as deflate/),
    });
  });

  it('accepts gzip, and skips a body too small to matter', () => {
    const gzip = response('/', 200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }, PAGE_HTML);
    expect(check(hardenedEvidence({ page: gzip }), 'compression.html')).toMatchObject({
      status: 'pass',
      detail: '/: gzip',
    });
    const small = response('/', 200, { 'content-type': 'text/html', 'content-encoding': undefined }, '<p>hi</p>');
    expect(check(hardenedEvidence({ page: small }), 'compression.html').status).toBe('skip');
  });
});
