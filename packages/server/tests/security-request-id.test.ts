import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { rawGet } from './support/security-raw-http.js';
import { closeServers, listen, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;
const wellFormedId = fc.stringMatching(WELL_FORMED);

/** Values a trusted proxy header must not get through: wrong characters, wrong length, injection attempts. */
const MALFORMED_IDS = [
  '',
  'has space',
  'x'.repeat(129),
  'x'.repeat(200),
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'id\r\nx-injected: 1',
  'id\nlevel=fatal msg="forged"',
  'id\u0000',
  'id;drop',
  'id/../../etc',
  'ünïcödé',
  '{"$gt":""}',
  '${jndi:ldap://evil/a}',
];
const malformedId = fc.oneof(
  fc.constantFrom(...MALFORMED_IDS),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 60 }).filter((s) => !WELL_FORMED.test(s)),
  fc.stringMatching(/^[A-Za-z0-9._:-]{129,300}$/),
);

const idOf = (response: LightMyRequestResponse) => String(response.headers['x-request-id']);

/** Requests answered with an error, as JSON and as the app's HTML page. */
const JSON_ERRORS: [string, InjectOptions][] = [
  ['404', { method: 'POST', url: '/api/missing', headers: { accept: 'application/json' } }],
  [
    '403 CSRF',
    {
      method: 'POST',
      url: '/form',
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    },
  ],
  ['415', { method: 'POST', url: '/api/things', payload: '<a/>', headers: { 'content-type': 'application/xml' } }],
  ['500', { url: '/boom', headers: { accept: 'application/json' } }],
  ['400 malformed URL', { url: '/%E0%A4%A' }],
];
// Error pages rendered by the server's error handling (the app's own not-found and bad-param pages
// for GETs are ordinary renders of its state, and carry no id).
const HTML_ERRORS: [string, InjectOptions][] = [
  ['404 page', { method: 'POST', url: '/nothing-here', headers: { accept: 'text/html' } }],
  ['414 page', { url: `/${'a'.repeat(5000)}`, headers: { accept: 'text/html' } }],
  ['500 page', { url: '/boom', headers: { accept: 'text/html' } }],
  [
    '403 page',
    {
      method: 'POST',
      url: '/form',
      payload: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    },
  ],
];

async function expectIdInBodies(
  server: ComposableServer,
  headers: Record<string, string>,
  expected: (response: LightMyRequestResponse) => void,
): Promise<void> {
  for (const [label, request] of JSON_ERRORS) {
    const response = await server.inject({ ...request, headers: { ...request.headers, ...headers } });
    expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
    expected(response);
    expect(response.json<{ error: { requestId: string } }>().error.requestId, label).toBe(idOf(response));
  }
  for (const [label, request] of HTML_ERRORS) {
    const response = await server.inject({ ...request, headers: { ...request.headers, ...headers } });
    expect(response.headers['content-type'], label).toBe('text/html; charset=utf-8');
    expected(response);
    // The fixture's error page shows "request <id>", as an app's support hint would.
    expect(response.body, label).toContain(`request ${idOf(response)}`);
  }
}

describe('request ids by default (no trusted header)', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    server = (await startServer({ RATE_LIMIT_MAX: '1000000' }, { lifetime: 'file' })).server;
  });

  it('property: every response gets a fresh UUID, and the client’s x-request-id is ignored', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        wellFormedId,
        fc.constantFrom('/health', '/plain', '/', '/nothing-here'),
        async (forged, url) => {
          const response = await server.inject({ url, headers: { 'x-request-id': forged } });
          const id = idOf(response);
          expect(id).toMatch(UUID);
          expect(id).not.toBe(forged);
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('the id is in JSON error bodies and on the HTML error page, and equals the response header', async () => {
    await expectIdInBodies(server, { 'x-request-id': 'client-chosen' }, (response) =>
      expect(idOf(response)).toMatch(UUID),
    );
  });

  it('GET /api/<missing> answers a JSON 404 with the request id', async () => {
    const response = await server.inject({ url: '/api/missing', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({ error: { status: 404, requestId: idOf(response) } });
  });
});

describe('request ids from a trusted proxy header (REQUEST_ID_HEADER)', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    server = (await startServer({ REQUEST_ID_HEADER: 'x-request-id', RATE_LIMIT_MAX: '1000000' }, { lifetime: 'file' }))
      .server;
  });

  it('property: a well-formed value is used and echoed', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormedId, async (id) => {
        const response = await server.inject({
          method: 'POST',
          url: '/api/missing',
          headers: { 'x-request-id': id, accept: 'application/json' },
        });
        expect(idOf(response)).toBe(id);
        expect(response.json<{ error: { requestId: string } }>().error.requestId).toBe(id);
      }),
      { numRuns: 80 },
    );
  });

  it('property: a malformed value (spaces, too long, CRLF, markup, non-ASCII) is replaced by a UUID', async () => {
    await fc.assert(
      fc.asyncProperty(malformedId, async (id) => {
        let response: LightMyRequestResponse;
        try {
          response = await server.inject({
            method: 'POST',
            url: '/api/missing',
            headers: { 'x-request-id': id, accept: 'application/json' },
          });
        } catch (error) {
          // inject refuses some header values outright, as Node's parser would: nothing to check.
          fc.pre(false);
          throw error;
        }
        expect(idOf(response), JSON.stringify(id)).toMatch(UUID);
        expect(response.json<{ error: { requestId: string } }>().error.requestId).toBe(idOf(response));
        expect(response.headers['x-injected']).toBeUndefined();
      }),
      { numRuns: 120 },
    );
  });

  it('the echoed id is the one in JSON error bodies and on the HTML error page', async () => {
    await expectIdInBodies(server, { 'x-request-id': 'edge-7f3a:01.42' }, (response) =>
      expect(idOf(response)).toBe('edge-7f3a:01.42'),
    );
    await expectIdInBodies(server, { 'x-request-id': '<script>alert(1)</script>' }, (response) => {
      expect(idOf(response)).toMatch(UUID);
      expect(response.body).not.toContain('<script>alert(1)');
    });
  });

  it('on the wire: repeated headers (joined with ", ") and raw CRLF tricks still end in a UUID', async () => {
    const port = await listen(server);
    const twice = await rawGet(port, '/health', 'x-request-id: first\r\nx-request-id: second\r\n');
    expect(twice.status).toBe(200);
    expect(twice.headers['x-request-id']).toMatch(UUID);
    const folded = await rawGet(port, '/health', 'x-request-id: abc\r\n x-injected: 1\r\n');
    // Obsolete line folding is refused by Node (400) or the value is rejected: never echoed.
    if (folded.status === 200) expect(folded.headers['x-request-id']).toMatch(UUID);
    else expect(folded.status).toBe(400);
    expect(folded.headers['x-injected']).toBeUndefined();
  });

  it('the header name is matched case-insensitively and other headers are not trusted', async () => {
    const { server: traced } = await startServer({ REQUEST_ID_HEADER: 'X-Trace-Id' });
    expect(idOf(await traced.inject({ url: '/health', headers: { 'x-trace-id': 'trace-1' } }))).toBe('trace-1');
    expect(idOf(await traced.inject({ url: '/health', headers: { 'x-request-id': 'not-trusted' } }))).toMatch(UUID);
  });
});
