import { describe, expect, it } from 'vitest';
import { asset, hardenedEvidence, noResponse, response, SENT_REQUEST_ID, TRACE_MARKER } from './support/evidence.js';
import { check } from './support/find.js';

const html = { 'content-type': 'text/html' };

describe('error responses', () => {
  it.each([
    ['a Node stack trace', 'Error: boom\n    at render (/srv/app/dist/server/app.js:10:5)\n    at process'],
    ['a file URL frame', 'TypeError: x\n    at file:///srv/app/server.js:3:9'],
    ['node internals', 'at node:internal/process/task_queues:95:5'],
    ['a stack field in JSON', '{"error":{"message":"boom","stack":"Error: boom"}}'],
  ])('fails %s in an error body', (_label, body) => {
    const evidence = hardenedEvidence({ notFound: response('/__missing', 404, html, body) });
    expect(check(evidence, 'errors.no-stack-trace')).toMatchObject({
      status: 'fail',
      detail: 'stack trace in 404 /__missing',
    });
  });

  it.each([
    ['Express with its version', '<pre>Cannot GET / (express 4.18.2)</pre>', 'express 4.18'],
    ['a server banner', '<hr><center>nginx/1.25.3</center>', 'nginx/1.25'],
    ['the Node.js version', 'Node.js v20.11.0', 'Node.js v20.11'],
    ['a Fastify error code', '{"code":"FST_ERR_CTP_INVALID_MEDIA_TYPE"}', 'FST_ERR_CTP_INVALID_MEDIA_TYPE'],
  ])('fails %s', (_label, body, found) => {
    const evidence = hardenedEvidence({ badRequest: response('/%E0%A4%A', 400, html, body) });
    const result = check(evidence, 'errors.no-version-strings');
    expect(result.status).toBe('fail');
    expect(result.detail).toContain(found);
  });

  it('does not mistake Svelte’s scoped class names for a version', () => {
    const body = '<h1 class="svelte-1x2y3z">Not found</h1><p>Version 2.0 of our docs</p>';
    expect(
      check(hardenedEvidence({ notFound: response('/__missing', 404, html, body) }), 'errors.no-version-strings')
        .status,
    ).toBe('pass');
  });

  it('requires a malformed URL to be refused with a 4xx', () => {
    const crash = hardenedEvidence({ badRequest: response('/%E0%A4%A', 500, html, 'Internal error') });
    expect(check(crash, 'errors.malformed-url')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/500/),
    });
  });
});

describe('headers.no-version-leak', () => {
  it('fails a versioned Server header or any X-Powered-By, on any response', () => {
    const evidence = hardenedEvidence({
      health: response('/health', 200, { server: 'nginx/1.25.3', 'x-powered-by': 'Express' }, '{}'),
    });
    expect(check(evidence, 'headers.no-version-leak')).toEqual({
      id: 'headers.no-version-leak',
      status: 'fail',
      detail: 'Server: nginx/1.25.3; X-Powered-By: Express',
    });
  });

  it('accepts a Server header without a version', () => {
    const evidence = hardenedEvidence({ health: response('/health', 200, { server: 'cloudflare' }, '{}') });
    expect(check(evidence, 'headers.no-version-leak').status).toBe('pass');
  });
});

describe('source-maps', () => {
  it('fails a public .map next to a script, and a script announcing its map in a header', () => {
    const script = asset('/assets/entry-DIa_uwaX.js', 'script', { sourcemap: '/assets/entry-DIa_uwaX.js.map' });
    const map = response(
      '/assets/entry-DIa_uwaX.js.map',
      200,
      { 'content-type': 'application/json' },
      '{"version":3,"mappings":"AAAA"}',
    );
    const result = check(hardenedEvidence({ assets: [{ ...script, sourceMap: map }] }), 'source-maps');
    expect(result.status).toBe('fail');
    expect(result.detail).toContain('/assets/entry-DIa_uwaX.js.map is public');
    expect(result.detail).toContain('announces /assets/entry-DIa_uwaX.js.map');
  });

  it('does not count a catch-all page answering 200 for the .map as a source map', () => {
    const script = asset('/assets/entry-DIa_uwaX.js', 'script');
    const spa = response('/assets/entry-DIa_uwaX.js.map', 200, html, '<!doctype html><div id="app"></div>');
    expect(check(hardenedEvidence({ assets: [{ ...script, sourceMap: spa }] }), 'source-maps').status).toBe('pass');
  });
});

describe('metrics.not-public', () => {
  it('fails metrics served without credentials', () => {
    const metrics = response('/metrics', 200, { 'content-type': 'text/plain; version=0.0.4' }, 'http_requests_total 3');
    expect(check(hardenedEvidence({ metrics }), 'metrics.not-public')).toMatchObject({ status: 'fail' });
  });

  it('passes metrics behind a token', () => {
    expect(check(hardenedEvidence({ metrics: response('/metrics', 401, {}, '') }), 'metrics.not-public').status).toBe(
      'pass',
    );
  });
});

describe('probes and pages', () => {
  it('fails a liveness or readiness probe that does not answer 2xx', () => {
    const evidence = hardenedEvidence({
      health: noResponse('/health', 'timed out'),
      ready: response('/ready', 503, {}, '{}'),
    });
    expect(check(evidence, 'probe.health')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('no response: timed out'),
    });
    expect(check(evidence, 'probe.ready')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('answered 503'),
    });
  });

  it('fails an extra page that errors', () => {
    const evidence = hardenedEvidence({ extraPages: [response('/subscribe', 500, html, 'Internal Server Error')] });
    expect(check(evidence, 'page /subscribe')).toMatchObject({
      status: 'fail',
      detail: '/subscribe answered 500 text/html',
    });
  });
});

describe('trace-refused', () => {
  it('fails a TRACE that is answered or echoed', () => {
    const echoed = response(
      '/',
      200,
      { 'content-type': 'message/http' },
      `TRACE / HTTP/1.1\r\nx-doctor-trace: ${TRACE_MARKER}`,
    );
    expect(check(hardenedEvidence({ trace: echoed }), 'trace-refused')).toMatchObject({
      status: 'fail',
      detail: 'TRACE echoed the request (200)',
    });
    expect(check(hardenedEvidence({ trace: response('/', 204, {}, '') }), 'trace-refused').status).toBe('fail');
  });
});

describe('request-id', () => {
  it('passes an echoed or a server-generated id, and fails none', () => {
    expect(check(hardenedEvidence(), 'request-id').detail).toBe(`x-request-id echoed: ${SENT_REQUEST_ID}`);
    const own = hardenedEvidence({ page: response('/', 200, { ...html, 'x-request-id': 'srv-1' }, '<p>x</p>') });
    expect(check(own, 'request-id')).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining("the server's own"),
    });
    const none = hardenedEvidence({ page: response('/', 200, { ...html, 'x-request-id': undefined }, '<p>x</p>') });
    expect(check(none, 'request-id').status).toBe('fail');
  });
});
