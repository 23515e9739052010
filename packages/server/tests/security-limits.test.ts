import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { rawRequest } from './support/security-raw-http.js';
import { closeServers, INTERNAL_DETAIL, listen, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const BODY_LIMIT = 2048;
const URI_LIMIT = 512;
const HEADER_LIMIT = 2048;
const ENV = {
  BODY_LIMIT_BYTES: String(BODY_LIMIT),
  MAX_URI_LENGTH: String(URI_LIMIT),
  MAX_HEADER_BYTES: String(HEADER_LIMIT),
  RATE_LIMIT_MAX: '1000000',
};

const json = (payload: string, extra: Record<string, string> = {}): InjectOptions => ({
  method: 'POST',
  url: '/api/things',
  payload,
  headers: { 'content-type': 'application/json', accept: 'application/json', ...extra },
});

/** A client error, not a crash: no 5xx, no stack trace, no internal detail. */
function expectCleanClientError(response: { statusCode?: number; status?: number; body: string }, label: string): void {
  const status = response.statusCode ?? response.status!;
  expect(status, label).toBeGreaterThanOrEqual(400);
  expect(status, label).toBeLessThan(500);
  expect(response.body, `${label}: stack trace`).not.toMatch(/\n\s+at /);
  expect(response.body, `${label}: node_modules path`).not.toContain('node_modules');
  expect(response.body, label).not.toContain(INTERNAL_DETAIL);
}

function errorOf(response: LightMyRequestResponse): {
  status: number;
  code: string;
  message: string;
  requestId: string;
} {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json<{ error: { status: number; code: string; message: string; requestId: string } }>().error;
}

describe('request limits', () => {
  let server: ComposableServer;
  let port: number;
  beforeAll(async () => {
    server = (await startServer(ENV, { lifetime: 'file' })).server;
    port = await listen(server);
  });

  it('a body over BODY_LIMIT_BYTES gets 413 JSON with a clear message; one at the limit passes', async () => {
    const envelope = JSON.stringify({ text: '' }).length;
    const atLimit = await server.inject(json(JSON.stringify({ text: 'x'.repeat(BODY_LIMIT - envelope) })));
    expect(atLimit.statusCode).toBe(200);
    for (const extra of [1, 100, BODY_LIMIT * 10]) {
      const response = await server.inject(json(JSON.stringify({ text: 'x'.repeat(BODY_LIMIT - envelope + extra) })));
      expect(response.statusCode, `+${extra}`).toBe(413);
      const error = errorOf(response);
      expect(error).toMatchObject({ status: 413, requestId: response.headers['x-request-id'] });
      expect(error.message).toMatch(/too large/i);
      expectCleanClientError(response, `+${extra}`);
    }
  });

  it('the body limit also holds for a chunked body with no Content-Length, and for forms', async () => {
    const chunk = 'x'.repeat(BODY_LIMIT);
    const response = await rawRequest(
      port,
      `POST /api/things HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\naccept: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n` +
        `${(chunk.length + 2).toString(16)}\r\n"${chunk}"\r\n0\r\n\r\n`,
    );
    expect(response.status).toBe(413);
    expectCleanClientError(response, 'chunked');
    const form = await server.inject({
      method: 'POST',
      url: '/form',
      payload: `note=${'x'.repeat(BODY_LIMIT)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });
    expect(form.statusCode).toBe(413);
    expect(errorOf(form).message).toMatch(/too large/i);
  });

  it('a request target over MAX_URI_LENGTH gets 414, query string included; one at the limit does not', async () => {
    const atLimit = await server.inject(`/plain?q=${'a'.repeat(URI_LIMIT - '/plain?q='.length)}`);
    expect(atLimit.statusCode).toBe(200);
    for (const url of [
      `/plain?q=${'a'.repeat(URI_LIMIT)}`,
      `/${'a'.repeat(URI_LIMIT)}`,
      `/api/${'b'.repeat(URI_LIMIT * 20)}`,
    ]) {
      const response = await server.inject({ url, headers: { accept: 'application/json' } });
      expect(response.statusCode, url.slice(0, 20)).toBe(414);
      expect(errorOf(response)).toMatchObject({ status: 414, code: 'URI_TOO_LONG' });
      expectCleanClientError(response, '414');
    }
    // On the wire as well, where nothing normalises the target first.
    const raw = await rawRequest(
      port,
      `GET /${'c'.repeat(URI_LIMIT)} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`,
    );
    expect(raw.status).toBe(414);
  });

  it('a header block over MAX_HEADER_BYTES gets 431 from Node itself; one under it is served', async () => {
    const request = (headers: string) =>
      rawRequest(port, `GET /plain HTTP/1.1\r\nhost: 127.0.0.1\r\n${headers}connection: close\r\n\r\n`);
    const under = await request(`x-filler: ${'a'.repeat(HEADER_LIMIT / 2)}\r\n`);
    expect(under.status).toBe(200);
    for (const [label, headers] of [
      ['one big header', `x-filler: ${'a'.repeat(HEADER_LIMIT * 2)}\r\n`],
      ['many small headers', Array.from({ length: 200 }, (_, i) => `x-h${i}: ${'b'.repeat(20)}\r\n`).join('')],
      ['a huge cookie', `cookie: session=${'c'.repeat(HEADER_LIMIT * 4)}\r\n`],
    ] as const) {
      const response = await request(headers);
      expect(response.status, label).toBe(431);
      expectCleanClientError(response, label);
    }
  });

  it('malformed JSON gets 400 saying the JSON is invalid', async () => {
    for (const payload of ['{bad', '{"a":', '[1,2', '{"a":1}}', "{'a':1}", 'undefined', '\u0000', '{"a":1,}']) {
      const response = await server.inject(json(payload));
      expect(response.statusCode, payload).toBe(400);
      expect(errorOf(response).message, payload).toMatch(/not valid JSON/i);
      expectCleanClientError(response, payload);
    }
  });

  it('property: any body that is not JSON, sent as JSON, gets a clean 400', async () => {
    const notJson = fc
      .oneof(
        fc.string({ maxLength: 200 }),
        fc.json().map((text) => text.slice(0, Math.max(1, text.length - 1)) + '{'),
        fc.string({ unit: 'binary', maxLength: 100 }),
      )
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      });
    await fc.assert(
      fc.asyncProperty(notJson, async (payload) => {
        const response = await server.inject(json(payload));
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        // "Body is not valid JSON…", or for an empty body "Body cannot be empty when content-type is … application/json".
        expect(errorOf(response).message).toMatch(/JSON/i);
        expectCleanClientError(response, JSON.stringify(payload));
      }),
      { numRuns: 150 },
    );
  });

  it('prototype-poisoning JSON is refused with 400, not merged', async () => {
    for (const payload of [
      '{"__proto__":{"polluted":true}}',
      '{"a":{"__proto__":{"polluted":true}}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    ]) {
      const response = await server.inject(json(payload));
      expect(response.statusCode, payload).toBe(400);
      expectCleanClientError(response, payload);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an unsupported content type gets 415', async () => {
    for (const type of [
      'application/xml',
      'text/xml',
      'text/html',
      'application/octet-stream',
      'image/png',
      'application/x-yaml',
    ]) {
      const response = await server.inject({
        method: 'POST',
        url: '/api/things',
        payload: '<a>1</a>',
        headers: { 'content-type': type, accept: 'application/json' },
      });
      expect(response.statusCode, type).toBe(415);
      expect(errorOf(response)).toMatchObject({ status: 415 });
      expectCleanClientError(response, type);
    }
  });

  it('property: no mix of oversized, malformed or mistyped requests produces a 5xx or a stack trace', async () => {
    const request = fc.oneof(
      fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 4 }).map((n): InjectOptions => json(`"${'x'.repeat(n)}"`)),
      fc.integer({ min: URI_LIMIT, max: URI_LIMIT * 4 }).map((n): InjectOptions => ({ url: `/${'u'.repeat(n)}` })),
      fc.string({ maxLength: 50 }).map((s): InjectOptions => json(`{${s}`)),
      fc
        .constantFrom('application/xml', 'text/csv', 'application/x-www-form-urlencoded; charset=bogus')
        .map((type): InjectOptions => ({
          method: 'POST',
          url: '/api/things',
          payload: 'a=1',
          headers: { 'content-type': type },
        })),
      fc
        .tuple(
          fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
          fc.constantFrom('/plain', '/form', '/api/things', '/health'),
        )
        .map(([method, url]): InjectOptions => ({
          method: method as InjectOptions['method'],
          url,
          payload: '{',
          headers: { 'content-type': 'application/json' },
        })),
    );
    await fc.assert(
      fc.asyncProperty(request, fc.constantFrom('application/json', 'text/html'), async (options, accept) => {
        const response = await server.inject({ ...options, headers: { ...options.headers, accept } });
        expect(response.statusCode).toBeLessThan(500);
        expect(response.body).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 100 },
    );
  });
});
