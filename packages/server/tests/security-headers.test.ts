import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { DEFAULT_CSP } from '../src/subpaths/security.js';
import { expectStrictCsp, parseCsp } from './support/security-csp.js';
import { captureLogLines } from './support/security-logs.js';
import { closeServers, INTERNAL_DETAIL, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const HSTS = 'max-age=31536000; includeSubDomains';

interface Expectations {
  /** The exact Strict-Transport-Security value, or undefined when it must be absent. */
  readonly hsts?: string | undefined;
  readonly permissionsPolicy?: boolean;
  /** Production hides internal error messages; development shows them on purpose. */
  readonly hidesInternals?: boolean;
}

/** Every header a response must carry, whatever produced it. */
function expectHardened(
  response: LightMyRequestResponse,
  label: string,
  expectations: Expectations = { hsts: HSTS },
): void {
  const h = response.headers;
  expectStrictCsp(h['content-security-policy'] as string | undefined, label);
  expect(h['x-content-type-options'], `${label}: x-content-type-options`).toBe('nosniff');
  expect(h['x-frame-options'], `${label}: x-frame-options`).toBe('DENY');
  expect(h['referrer-policy'], `${label}: referrer-policy`).toBe('strict-origin-when-cross-origin');
  expect(h['cross-origin-opener-policy'], `${label}: COOP`).toBe('same-origin');
  expect(h['cross-origin-resource-policy'], `${label}: CORP`).toBe('same-origin');
  expect(h['cross-origin-embedder-policy'], `${label}: COEP`).toBe('require-corp');
  if (expectations.permissionsPolicy !== false) {
    const policy = String(h['permissions-policy'] ?? '');
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()'])
      expect(policy, `${label}: permissions-policy denies ${feature}`).toContain(feature);
  }
  if (expectations.hsts === undefined) expect(h['strict-transport-security'], `${label}: no HSTS`).toBeUndefined();
  else expect(h['strict-transport-security'], `${label}: HSTS`).toBe(expectations.hsts);
  expect(h['x-powered-by'], `${label}: x-powered-by`).toBeUndefined();
  expect(response.body, `${label}: no stack trace`).not.toMatch(/\n\s+at /);
  if (expectations.hidesInternals !== false)
    expect(response.body, `${label}: no internal error detail`).not.toContain(INTERNAL_DETAIL);
}

/** One request the property may send, with the status that proves it reached the intended path. */
interface Probe {
  readonly kind: string;
  readonly target: 'main' | 'limited';
  readonly request: InjectOptions;
  readonly status: number;
}

const accept = fc.constantFrom<string | undefined>(
  undefined,
  'text/html',
  'application/json',
  '*/*',
  'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
);
const segment = fc.stringMatching(/^[a-z0-9-]{1,24}$/);
const withAccept = (headers: Record<string, string>, value: string | undefined) =>
  value === undefined ? headers : { ...headers, accept: value };

const ASSETS = [
  '/assets/entry-abc123.js',
  '/assets/shared-def456.js',
  '/assets/entry-abc123.css',
  '/assets/shared-def456.css',
];
/** Limits of the main server (the schema minimums), so the limit responses are cheap to provoke. */
const BODY_LIMIT = 1024;
const URI_LIMIT = 256;

const probes: Record<string, fc.Arbitrary<Probe>> = {
  page: fc.tuple(fc.constantFrom('/', '/items/1', '/items/42', '/items/100'), accept).map(([url, a]) => ({
    kind: 'page 200',
    target: 'main',
    request: { url, headers: withAccept({}, a) },
    status: 200,
  })),
  head: fc
    .constantFrom('/', '/items/7')
    .map((url) => ({ kind: 'HEAD page', target: 'main', request: { method: 'HEAD', url }, status: 200 })),
  pageNotFound: fc.tuple(segment, accept).map(([s, a]) => ({
    kind: '404 page',
    target: 'main',
    request: { url: `/nothing-here/${s}`, headers: withAccept({}, a) },
    status: 404,
  })),
  pageBadRequest: fc
    .tuple(fc.oneof(fc.constantFrom('abc', '0', '01', '-1'), fc.integer({ min: 101, max: 1e9 }).map(String)), accept)
    .map(([id, a]) => ({
      kind: '400 page',
      target: 'main',
      request: { url: `/items/${id}`, headers: withAccept({}, a) },
      status: 400,
    })),
  apiNotFound: fc
    .tuple(fc.constantFrom<'POST' | 'PUT' | 'PATCH' | 'DELETE'>('POST', 'PUT', 'PATCH', 'DELETE'), segment)
    .map(([method, s]) => ({
      kind: 'JSON API 404',
      target: 'main',
      request: { method, url: `/api/missing/${s}`, headers: { accept: 'application/json' } },
      status: 404,
    })),
  asset: fc.constantFrom(...ASSETS).map((url) => ({ kind: 'asset', target: 'main', request: { url }, status: 200 })),
  missingAsset: segment.map((s) => ({
    kind: 'missing asset',
    target: 'main',
    request: { url: `/assets/${s}.js` },
    status: 404,
  })),
  health: fc.constant({ kind: '/health', target: 'main', request: { url: '/health' }, status: 200 }),
  tooMany: accept.map((a) => ({
    kind: '429',
    target: 'limited',
    request: { url: '/', headers: withAccept({}, a) },
    status: 429,
  })),
  serverError: fc.tuple(fc.constantFrom('/boom', '/mode/throws', '/mode/render-throws'), accept).map(([url, a]) => ({
    kind: '500',
    target: 'main',
    request: { url, headers: withAccept({}, a) },
    status: 500,
  })),
  tooLarge: fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: BODY_LIMIT * 8 }), fc.boolean()).map(([size, json]) => ({
    kind: '413',
    target: 'main',
    request: json
      ? {
          method: 'POST',
          url: '/api/things',
          payload: JSON.stringify({ text: 'x'.repeat(size) }),
          headers: { 'content-type': 'application/json' },
        }
      : {
          method: 'POST',
          url: '/form',
          payload: `text=${'x'.repeat(size)}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
    status: 413,
  })),
  uriTooLong: fc.tuple(fc.integer({ min: URI_LIMIT, max: URI_LIMIT * 4 }), accept).map(([length, a]) => ({
    kind: '414',
    target: 'main',
    request: { url: `/${'a'.repeat(length)}`, headers: withAccept({}, a) },
    status: 414,
  })),
  malformedUrl: fc
    .tuple(fc.constantFrom('/%E0%A4%A', '/%', '/%zz', '/items/%E0%A4%A', '/health%', '/assets/%E0'), accept)
    .map(([url, a]) => ({
      kind: 'malformed URL 400',
      target: 'main',
      request: { url, headers: withAccept({}, a) },
      status: 400,
    })),
  csrfRefused: accept.map((a) => ({
    kind: 'CSRF 403',
    target: 'main',
    request: {
      method: 'POST',
      url: '/form',
      payload: 'a=1',
      headers: withAccept({ 'content-type': 'application/x-www-form-urlencoded' }, a),
    },
    status: 403,
  })),
  unsupportedType: fc.constant({
    kind: '415',
    target: 'main',
    request: { method: 'POST', url: '/api/things', payload: '<a/>', headers: { 'content-type': 'application/xml' } },
    status: 415,
  }),
  invalidJson: fc.constant({
    kind: 'invalid JSON 400',
    target: 'main',
    request: { method: 'POST', url: '/api/things', payload: '{"a":', headers: { 'content-type': 'application/json' } },
    status: 400,
  }),
};

describe('security headers on every response (production)', () => {
  let main: ComposableServer;
  let limited: ComposableServer;

  beforeAll(async () => {
    main = (
      await startServer(
        { RATE_LIMIT_MAX: '1000000', BODY_LIMIT_BYTES: String(BODY_LIMIT), MAX_URI_LENGTH: String(URI_LIMIT) },
        { lifetime: 'file' },
      )
    ).server;
    limited = (await startServer({ RATE_LIMIT_MAX: '2' }, { lifetime: 'file' })).server;
    // Use up the limited server's allowance: every later counted request is a 429.
    for (let i = 0; i < 3; i++) await limited.inject('/');
    expect((await limited.inject('/')).statusCode).toBe(429);
  });

  it('holds for any mix of route kinds: pages, errors, assets, health, limits, refusals', async () => {
    const anyProbe = fc.oneof(...Object.values(probes));
    // Every kind at least once, whatever the random mix draws.
    const oneOfEach = Object.values(probes).map((arb) => fc.sample(arb, { numRuns: 1, seed: 42 })[0]!);
    await fc.assert(
      fc.asyncProperty(fc.array(anyProbe, { minLength: 1, maxLength: 6 }), async (batch) => {
        for (const probe of batch) {
          const response = await (probe.target === 'main' ? main : limited).inject(probe.request);
          const label = `${probe.kind} ${probe.request.method ?? 'GET'} ${String(probe.request.url).slice(0, 60)}`;
          expect(response.statusCode, label).toBe(probe.status);
          expectHardened(response, label, { hsts: HSTS });
        }
      }),
      { numRuns: 60, examples: [[oneOfEach]] },
    );
  });

  it('gives pages exactly the default policy (form-action self, nothing inline)', async () => {
    const response = await main.inject('/');
    const csp = parseCsp(String(response.headers['content-security-policy']));
    expect(Object.fromEntries(csp)).toEqual(
      Object.fromEntries(Object.entries(DEFAULT_CSP).map(([name, sources]) => [name, [...sources]])),
    );
    expect(csp.get('form-action')).toEqual(["'self'"]);
  });

  it('the malformed-URL 400 also carries Permissions-Policy and HSTS', async () => {
    const response = await main.inject('/%E0%A4%A');
    expect(response.statusCode).toBe(400);
    expect(response.headers['permissions-policy']).toBeDefined();
    expect(response.headers['strict-transport-security']).toBe(HSTS);
  });
});

describe('HSTS', () => {
  it('is absent in development, on pages, errors, assets and JSON alike; the rest stays', async () => {
    const { server } = await startServer({ NODE_ENV: 'development' });
    for (const request of [
      '/',
      '/nothing-here',
      '/boom',
      '/assets/entry-abc123.js',
      '/health',
      { method: 'POST' as const, url: '/api/missing' },
    ]) {
      const response = await server.inject(request);
      expectHardened(response, JSON.stringify(request), { hsts: undefined, hidesInternals: false });
    }
  });

  it('adds preload only when HSTS_PRELOAD=true', async () => {
    const { server } = await startServer({ HSTS_PRELOAD: 'true' });
    for (const url of ['/', '/nothing-here', '/assets/entry-abc123.js']) {
      expect((await server.inject(url)).headers['strict-transport-security'], url).toBe(`${HSTS}; preload`);
    }
    const plain = (await startServer()).server;
    expect((await plain.inject('/')).headers['strict-transport-security']).toBe(HSTS);
  });
});

describe('per-route CSP', () => {
  const others = (header: unknown, except: string) =>
    Object.fromEntries([...parseCsp(String(header))].filter(([name]) => name !== except));
  const defaults = (except: string) =>
    Object.fromEntries(
      Object.entries(DEFAULT_CSP)
        .filter(([name]) => name !== except)
        .map(([n, s]) => [n, [...s]]),
    );

  it('security.routeCsp changes only the named route, and only the named directive', async () => {
    const { server } = await startServer(
      {},
      { security: { routeCsp: { '/embed': { 'frame-ancestors': ['https://partner.example'] } } } },
    );
    for (const method of ['GET', 'HEAD'] as const) {
      const embed = await server.inject({ method, url: '/embed' });
      expect(embed.statusCode).toBe(200);
      expect(parseCsp(String(embed.headers['content-security-policy'])).get('frame-ancestors'), method).toEqual([
        'https://partner.example',
      ]);
      expect(others(embed.headers['content-security-policy'], 'frame-ancestors'), method).toEqual(
        defaults('frame-ancestors'),
      );
    }
    for (const url of ['/', '/plain', '/embed/other', '/embedded', '/nothing-here', '/assets/entry-abc123.js']) {
      expectHardened(await server.inject(url), url);
    }
  });

  it('a route’s own config.csp applies to that route only', async () => {
    const { server } = await startServer();
    const widget = await server.inject('/widget');
    expect(widget.statusCode).toBe(200);
    expect(parseCsp(String(widget.headers['content-security-policy'])).get('img-src')).toEqual([
      "'self'",
      'https://img.example',
    ]);
    expect(others(widget.headers['content-security-policy'], 'img-src')).toEqual(defaults('img-src'));
    for (const url of ['/', '/plain', '/embed']) {
      expect(
        parseCsp(String((await server.inject(url)).headers['content-security-policy'])).get('img-src'),
        url,
      ).toEqual(["'self'"]);
    }
  });

  it('security.csp replaces a directive app-wide and leaves the others strict', async () => {
    const { server } = await startServer({}, { security: { csp: { 'img-src': ["'self'", 'https://cdn.example'] } } });
    for (const url of ['/', '/plain', '/nothing-here']) {
      const response = await server.inject(url);
      expect(parseCsp(String(response.headers['content-security-policy'])).get('img-src'), url).toEqual([
        "'self'",
        'https://cdn.example',
      ]);
      expectHardened(response, url);
    }
  });

  it('COEP=credentialless is honoured', async () => {
    const { server } = await startServer({ COEP: 'credentialless' });
    expect((await server.inject('/')).headers['cross-origin-embedder-policy']).toBe('credentialless');
  });
});

describe('security.headers = false', () => {
  it('sends no CSP (nor the other helmet headers) and says so in a start-up warning', async () => {
    const logs = captureLogLines();
    try {
      const { server } = await startServer({ LOG_LEVEL: 'warn' }, { security: { headers: false } });
      for (const url of ['/', '/plain', '/nothing-here']) {
        const response = await server.inject(url);
        expect(response.headers['content-security-policy'], url).toBeUndefined();
        expect(response.headers['x-frame-options'], url).toBeUndefined();
        expect(response.headers['strict-transport-security'], url).toBeUndefined();
      }
      const warning = await logs.waitFor('security headers and CSP are OFF');
      expect(warning).toBeDefined();
      expect(JSON.parse(warning!)).toMatchObject({ level: 40 });
    } finally {
      logs.restore();
    }
  });

  it('logs no such warning when headers are on', async () => {
    const logs = captureLogLines();
    try {
      await startServer({ LOG_LEVEL: 'warn' });
      // Give the asynchronous writer the same time the positive test allows.
      expect(await logs.waitFor('security headers and CSP are OFF', 200)).toBeUndefined();
    } finally {
      logs.restore();
    }
  });
});
