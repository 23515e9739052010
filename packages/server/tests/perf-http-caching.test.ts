/**
 * HTTP caching as a browser or a CDN sees it: Cache-Control presets, strong ETags, 304s
 * (If-None-Match and If-Modified-Since), HEAD, Vary, and pages whose bytes are the same for
 * everyone so a 304 stays valid under CSP and SRI.
 */
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { noneMatchHits } from '../src/http/representation.js';
import type { ComposableServer } from '../src/index.js';
import { closePerfServers, startPerfServer } from './support/perf-server.js';

closePerfServers();

const PAGE_PRESET = 'public, max-age=60, stale-while-revalidate=600';

type Headers = Record<string, string>;

function get(
  server: ComposableServer,
  url: string,
  headers: Headers = {},
  method: 'GET' | 'HEAD' = 'GET',
): Promise<LightMyRequestResponse> {
  return server.inject({ method, url, headers });
}

/** The headers that only tell which request this was, or how many are left: they differ by design. */
const PER_REQUEST = new Set([
  'date',
  'x-request-id',
  'ratelimit-remaining',
  'ratelimit-reset',
  'x-cache',
  'set-cookie',
  'connection',
  'transfer-encoding',
]);

function stableHeaders(response: LightMyRequestResponse): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers).filter(([name]) => !PER_REQUEST.has(name)));
}

const STRONG_ETAG = /^"[\x21\x23-\x7e]+"$/;

describe('Cache-Control presets', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    ({ server } = await startPerfServer({ lifetime: 'file', env: { SSR_TIMEOUT_MS: '150' } }));
  });

  it('a public page gets `public, max-age=60, stale-while-revalidate=600`, rendered or from the cache', async () => {
    for (const url of ['/pages/1', '/pages/1', '/posts/2', '/']) {
      const response = await get(server, url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe(PAGE_PRESET);
    }
  });

  it('CACHE_PAGE_MAX_AGE_S and CACHE_PAGE_SWR_S set the page preset; SWR 0 leaves the directive out', async () => {
    const tuned = (await startPerfServer({ env: { CACHE_PAGE_MAX_AGE_S: '30', CACHE_PAGE_SWR_S: '120' } })).server;
    expect((await get(tuned, '/pages/1')).headers['cache-control']).toBe(
      'public, max-age=30, stale-while-revalidate=120',
    );
    const noSwr = (await startPerfServer({ env: { CACHE_PAGE_MAX_AGE_S: '0', CACHE_PAGE_SWR_S: '0' } })).server;
    expect((await get(noSwr, '/pages/1')).headers['cache-control']).toBe('public, max-age=0');
    // Without the server-side page cache the preset is the same.
    const uncached = (await startPerfServer({ env: { CACHE_ENABLED: 'false', CACHE_PAGE_MAX_AGE_S: '5' } })).server;
    expect((await get(uncached, '/pages/1')).headers['cache-control']).toBe(
      'public, max-age=5, stale-while-revalidate=600',
    );
  });

  it('a page that calls context.csrfToken() is `private, no-store` and sets its CSRF cookie', async () => {
    for (let i = 0; i < 2; i++) {
      const response = await get(server, '/private');
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      expect(String(response.headers['set-cookie'])).toMatch(/^__Host-cs_csrf=/);
    }
  });

  it('a route that sets a Set-Cookie header is `private, no-store` even though its handler chose public', async () => {
    const response = await get(server, '/api/raw-cookie-public');
    expect(response.headers['set-cookie']).toBeDefined();
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('a route that calls reply.setCookie() is `private, no-store`, whatever it or the preset chose', async () => {
    for (const url of ['/api/cookie-public', '/api/cookie', '/html-cookie']) {
      const response = await get(server, url);
      expect(response.headers['set-cookie'], url).toMatch(/^visited=yes/);
      expect(response.headers['cache-control'], url).toBe('private, no-store');
    }
  });

  it('errors are `no-store`: app 404/400/410 pages, failed and timed-out renders, JSON errors, a route choice on failure', async () => {
    const cases: Array<[string, number]> = [
      ['/no/such/page', 404],
      ['/pages/0', 400],
      ['/mode/gone', 410],
      ['/mode/throws', 500],
      ['/mode/never', 504],
      ['/api/no-such-endpoint', 404],
      ['/api/fails', 500],
      ['/api/route-choice-fails', 500],
      ['/assets/missing-000.js', 404],
    ];
    for (const [url, status] of cases) {
      const response = await get(server, url);
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('an error is `no-store` even when the handler had chosen public before failing', async () => {
    const response = await get(server, '/api/handler-public-then-fails');
    expect(response.statusCode).toBe(500);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('a JSON GET gets `no-cache` (CACHE_API_CONTROL), which can be changed', async () => {
    expect((await get(server, '/api/item')).headers['cache-control']).toBe('no-cache');
    expect((await get(server, '/api/big')).headers['cache-control']).toBe('no-cache');
    const tuned = (await startPerfServer({ env: { CACHE_API_CONTROL: 'private, max-age=10' } })).server;
    expect((await get(tuned, '/api/item')).headers['cache-control']).toBe('private, max-age=10');
  });

  it('a route `config: { cacheControl }` wins over the preset, and so does the handler', async () => {
    expect((await get(server, '/api/route-choice')).headers['cache-control']).toBe('public, max-age=5');
    expect((await get(server, '/api/handler-public')).headers['cache-control']).toBe('public, max-age=300');
  });

  it('other successful responses (text, images, event streams) are `no-store` unless chosen', async () => {
    for (const url of ['/text', '/image.png', '/events']) {
      const response = await get(server, url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });
});

describe('strong ETags and 304 Not Modified', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    ({ server } = await startPerfServer({ lifetime: 'file' }));
  });

  it('pages and JSON carry a strong, quoted ETag that follows the bytes', async () => {
    const page1 = await get(server, '/pages/1');
    const page1Again = await get(server, '/pages/1');
    const page2 = await get(server, '/pages/2');
    const json = await get(server, '/api/item');
    const bigJson = await get(server, '/api/big');
    for (const response of [page1, page2, json, bigJson]) {
      expect(response.headers.etag).toMatch(STRONG_ETAG);
    }
    expect(page1Again.headers.etag).toBe(page1.headers.etag);
    expect(page2.headers.etag).not.toBe(page1.headers.etag);
    expect(json.headers.etag).not.toBe(bigJson.headers.etag);
    // Also without the server-side cache: the tag is taken from the body, so it is stable.
    const uncached = (await startPerfServer({ env: { CACHE_ENABLED: 'false' } })).server;
    const first = await get(uncached, '/pages/1');
    const second = await get(uncached, '/pages/1');
    expect(first.headers.etag).toMatch(STRONG_ETAG);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(first.headers.etag).toBe(page1.headers.etag);
  });

  /** The If-None-Match values that must all produce a 304 for a representation tagged `tag`. */
  const matching = (tag: string) => [tag, `W/${tag}`, `"nope", ${tag}`, `"a",W/${tag} , "b"`, '*', ' * '];

  for (const [label, url, headers] of [
    ['a cached page', '/pages/3', {}],
    ['a cached page in br', '/pages/3', { 'accept-encoding': 'br' }],
    ['a cached page in gzip', '/pages/3', { 'accept-encoding': 'gzip' }],
    ['a small JSON response', '/api/item', {}],
    ['a large JSON response, identity', '/api/big', {}],
  ] as Array<[string, string, Headers]>) {
    it(`If-None-Match (exact, W/, in a list, *) → 304 without a body, same validators and CSP: ${label}`, async () => {
      const full = await get(server, url, headers);
      expect(full.statusCode).toBe(200);
      const tag = full.headers.etag as string;
      expect(tag).toMatch(STRONG_ETAG);
      for (const inm of matching(tag)) {
        const response = await get(server, url, { ...headers, 'if-none-match': inm });
        expect(response.statusCode, inm).toBe(304);
        expect(response.rawPayload.length, inm).toBe(0);
        for (const name of ['etag', 'cache-control', 'vary', 'last-modified']) {
          expect(response.headers[name], `${inm}: ${name}`).toEqual(full.headers[name]);
        }
        expect(response.headers['content-security-policy'], inm).toBe(full.headers['content-security-policy']);
        expect(String(response.headers['content-security-policy'])).toContain("script-src 'self'");
      }
      for (const inm of ['"something-else"', 'W/"something-else"', `"x", ${tag.slice(0, -2)}"`]) {
        const response = await get(server, url, { ...headers, 'if-none-match': inm });
        expect(response.statusCode, inm).toBe(200);
        expect(response.rawPayload.equals(full.rawPayload), inm).toBe(true);
      }
    });
  }

  it('a 304 for a response compressed per request repeats the Vary and ETag of its 200', async () => {
    const headers = { 'accept-encoding': 'gzip' };
    const full = await get(server, '/api/big', headers);
    expect(full.headers['content-encoding']).toBe('gzip');
    const notModified = await get(server, '/api/big', { ...headers, 'if-none-match': full.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers.vary).toEqual(full.headers.vary);
    expect(notModified.headers.etag).toEqual(full.headers.etag);
  });

  it('If-Modified-Since at or after Last-Modified → 304 on a cached page; older → 200; ignored beside If-None-Match', async () => {
    const full = await get(server, '/pages/4');
    const lastModified = full.headers['last-modified'] as string;
    expect(lastModified).toBeDefined();
    const modifiedAt = Date.parse(lastModified);
    expect(Number.isFinite(modifiedAt)).toBe(true);
    const at = (ms: number) => new Date(ms).toUTCString();

    const same = await get(server, '/pages/4', { 'if-modified-since': lastModified });
    expect(same.statusCode).toBe(304);
    expect(same.rawPayload.length).toBe(0);
    expect(same.headers.etag).toBe(full.headers.etag);
    expect(same.headers['last-modified']).toBe(lastModified);

    // Later than the render (but not in the future: the page was rendered a moment ago).
    const later = await get(server, '/pages/4', { 'if-modified-since': at(Math.min(modifiedAt + 1000, Date.now())) });
    expect(later.statusCode).toBe(304);

    const older = await get(server, '/pages/4', { 'if-modified-since': at(modifiedAt - 1000) });
    expect(older.statusCode).toBe(200);
    expect(older.body).toBe(full.body);

    const invalid = await get(server, '/pages/4', { 'if-modified-since': 'not a date' });
    expect(invalid.statusCode).toBe(200);

    // If-None-Match decides alone when present (RFC 9110 §13.1.3).
    const ignored = await get(server, '/pages/4', { 'if-none-match': '"other"', 'if-modified-since': lastModified });
    expect(ignored.statusCode).toBe(200);
    expect(ignored.body).toBe(full.body);
    const both = await get(server, '/pages/4', {
      'if-none-match': full.headers.etag as string,
      'if-modified-since': at(modifiedAt - 60_000),
    });
    expect(both.statusCode).toBe(304);
  });

  const GET_ROUTES = [
    '/',
    '/pages/5',
    '/posts/5',
    '/posts/5/comments',
    '/content',
    '/big/2',
    '/no/such/page',
    '/mode/gone',
    '/api/item',
    '/api/big',
    '/api/route-choice',
    '/api/handler-public',
    '/api/fails',
    '/text',
    '/svg',
    '/image.png',
    '/events',
    '/assets/entry-abc123.js',
    '/assets/entry-abc123.css',
    '/health',
    '/ready',
  ];

  // (An unknown /api/ path is left out: its JSON 404 names the method, so its length differs.)
  it('HEAD answers every GET route with the same status and headers and no body', async () => {
    for (const url of GET_ROUTES) {
      // Twice: once while the page may still be rendered, once from the page cache.
      for (let round = 0; round < 2; round++) {
        const full = await get(server, url);
        const head = await get(server, url, {}, 'HEAD');
        expect(head.statusCode, url).toBe(full.statusCode);
        expect(head.rawPayload.length, url).toBe(0);
        expect(stableHeaders(head), url).toEqual(stableHeaders(full));
      }
    }
  });

  it('HEAD mirrors GET for cached pages negotiated to br or gzip', async () => {
    for (const encoding of ['br', 'gzip']) {
      const full = await get(server, '/pages/6', { 'accept-encoding': encoding });
      const head = await get(server, '/pages/6', { 'accept-encoding': encoding }, 'HEAD');
      expect(full.headers['content-encoding']).toBe(encoding);
      expect(head.rawPayload.length).toBe(0);
      expect(stableHeaders(head)).toEqual(stableHeaders(full));
    }
  });

  // RFC 9110 §9.3.2: the server SHOULD send the same header fields for HEAD as for GET, Content-Encoding
  // and Vary included, also when GET is compressed per request (regression: HEAD had neither).
  it('HEAD mirrors GET for responses compressed per request', async () => {
    const headers = { 'accept-encoding': 'br, gzip' };
    for (const url of ['/api/big', '/text', '/svg']) {
      const full = await get(server, url, headers);
      const head = await get(server, url, headers, 'HEAD');
      expect(full.headers['content-encoding'], url).toBe('br');
      expect(head.headers['content-encoding'], url).toBe(full.headers['content-encoding']);
      expect(head.headers.vary, url).toBe(full.headers.vary);
    }
  });

  it('compressible responses say `Vary: Accept-Encoding`, compressed or not, for cached pages', async () => {
    for (const headers of [
      {},
      { 'accept-encoding': 'br' },
      { 'accept-encoding': 'gzip' },
      { 'accept-encoding': 'identity' },
    ] as Headers[]) {
      const page = await get(server, '/big/3', headers);
      expect(String(page.headers.vary).toLowerCase(), JSON.stringify(headers)).toContain('accept-encoding');
    }
    for (const url of ['/api/big', '/text', '/svg']) {
      for (const encoding of ['br', 'gzip']) {
        const response = await get(server, url, { 'accept-encoding': encoding });
        expect(response.headers['content-encoding'], url).toBe(encoding);
        expect(String(response.headers.vary).toLowerCase(), url).toContain('accept-encoding');
      }
    }
  });

  it('a compressible response sent uncompressed also says Vary: Accept-Encoding', async () => {
    for (const url of ['/api/big', '/text']) {
      const response = await get(server, url, { 'accept-encoding': 'identity' });
      expect(response.headers['content-encoding'], url).toBeUndefined();
      expect(String(response.headers.vary).toLowerCase(), url).toContain('accept-encoding');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// If-None-Match against a reference implementation of RFC 9110 (§8.8.3 entity-tag, §8.8.3.2 weak
// comparison, §13.1.2 If-None-Match).
// ---------------------------------------------------------------------------------------------

/** `*`, the list of opaque tags (weakness dropped), or null when the field value is not valid. */
function parseIfNoneMatch(value: string): '*' | string[] | null {
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '*') return '*';
  const tags: string[] = [];
  let i = 0;
  const skipOws = () => {
    while (text[i] === ' ' || text[i] === '\t') i++;
  };
  while (i < text.length) {
    skipOws();
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= text.length) break;
    if (text.startsWith('W/', i)) i += 2;
    if (text[i] !== '"') return null;
    const close = text.indexOf('"', i + 1);
    if (close < 0) return null;
    const opaque = text.slice(i, close + 1);
    for (const char of opaque.slice(1, -1)) {
      const code = char.charCodeAt(0);
      if (!(code === 0x21 || (code >= 0x23 && code <= 0x7e) || code >= 0x80)) return null;
    }
    tags.push(opaque);
    i = close + 1;
    skipOws();
    if (i < text.length && text[i] !== ',') return null;
  }
  return tags;
}

/** RFC 9110: the method is not performed (304) when `*` or any listed tag weakly matches the selected representation's. */
function rfcNotModified(ifNoneMatch: string, selected: string): boolean {
  const parsed = parseIfNoneMatch(ifNoneMatch);
  if (parsed === null) return false;
  if (parsed === '*') return true;
  const ours = selected.replace(/^W\//, '');
  return parsed.some((tag) => tag === ours);
}

const ETAGC = fc.mapToConstant(
  { num: 1, build: () => '!' },
  { num: 0x7e - 0x23 + 1, build: (v) => String.fromCharCode(0x23 + v) },
);
const OWS = fc.constantFrom('', ' ', '  ', '\t', ' \t');

/** A header built from `entries`: each an entity-tag, possibly weak, with OWS around the commas. */
function ifNoneMatchArbitrary(candidates: fc.Arbitrary<string>) {
  return fc
    .array(fc.tuple(OWS, fc.boolean(), candidates, OWS), { minLength: 1, maxLength: 6 })
    .map((entries) =>
      entries.map(([before, weak, tag, after]) => `${before}${weak ? 'W/' : ''}${tag}${after}`).join(','),
    );
}

const otherTag = fc.string({ unit: ETAGC, maxLength: 30 }).map((opaque) => `"${opaque}"`);

describe('If-None-Match matches RFC 9110 weak comparison (property)', () => {
  const SELECTED = '"Zbsi_ox9_Trf-9SgATwXG9tGx30"';

  it('noneMatchHits agrees with the reference for arbitrary lists of tags', () => {
    const candidates = fc.oneof(
      otherTag,
      fc.constant(SELECTED),
      otherTag.map((t) => `${t.slice(0, -1)}-x"`),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          { weight: 12, arbitrary: ifNoneMatchArbitrary(candidates) },
          { weight: 1, arbitrary: fc.constantFrom('*', ' *', '*\t') },
        ),
        (header) => {
          expect(noneMatchHits(header, SELECTED)).toBe(rfcNotModified(header, SELECTED));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the server answers 304 exactly when the reference says so, for a cached page', async () => {
    const { server } = await startPerfServer();
    const selected = (await get(server, '/pages/7')).headers.etag as string;
    expect(selected).toMatch(STRONG_ETAG);
    const candidates = fc.oneof(
      otherTag,
      fc.constant(selected),
      fc.constant(`${selected.slice(0, -1)}x"`),
      fc.constant(`"${selected}"`.replace(/""/g, '"')),
    );
    await fc.assert(
      fc.asyncProperty(ifNoneMatchArbitrary(candidates), async (header) => {
        const response = await get(server, '/pages/7', { 'if-none-match': header });
        expect(response.statusCode === 304, header).toBe(rfcNotModified(header, selected));
      }),
      { numRuns: 150 },
    );
  });

  // RFC 9110 §13.1.2: the condition compares with the representation selected for this request. A
  // client holding the br copy "X-br" that asks for identity must get "X" in full, not a 304 whose
  // ETag matches no stored response it can update (RFC 9111 §4.3.4). Regression: -br/-gz were stripped.
  it('a tag of a sibling encoding does not make a 304 for the representation selected', async () => {
    const { server } = await startPerfServer();
    const identity = (await get(server, '/pages/8', { 'accept-encoding': 'identity' })).headers.etag as string;
    const br = (await get(server, '/pages/8', { 'accept-encoding': 'br' })).headers.etag as string;
    expect(br).toBe(`${identity.slice(0, -1)}-br"`);
    await fc.assert(
      fc.asyncProperty(ifNoneMatchArbitrary(fc.oneof(otherTag, fc.constant(br))), async (header) => {
        const response = await get(server, '/pages/8', { 'accept-encoding': 'identity', 'if-none-match': header });
        expect(response.statusCode === 304, header).toBe(rfcNotModified(header, identity));
      }),
      { numRuns: 100 },
    );
  });
});

describe('304s stay valid under CSP and SRI: a public page has no per-response bytes', () => {
  it('rendering a page twice gives identical bytes and ETag, with no request id, nonce or CSRF token in it', async () => {
    const { server } = await startPerfServer({ env: { CACHE_ENABLED: 'false' } });
    for (const url of ['/', '/pages/9', '/posts/9/comments', '/big/1']) {
      const first = await get(server, url);
      const second = await get(server, url);
      expect(first.statusCode, url).toBe(200);
      expect(first.rawPayload.equals(second.rawPayload), url).toBe(true);
      expect(second.headers.etag, url).toBe(first.headers.etag);
      for (const response of [first, second]) {
        const id = response.headers['x-request-id'] as string;
        expect(id, url).toBeTruthy();
        expect(first.body, url).not.toContain(id);
        expect(response.headers['set-cookie'], url).toBeUndefined();
        expect(String(response.headers['content-security-policy']), url).not.toMatch(/nonce-/);
      }
      expect(first.body, url).not.toMatch(/nonce|csrf/i);
      // SRI attributes are the same for everyone: they name the build, not the request.
      expect(first.body, url).toMatch(/integrity="sha384-/);
    }
  });

  it('a page served from the cache holds neither the request id that rendered it nor the one it is served to', async () => {
    const { server } = await startPerfServer();
    const miss = await get(server, '/pages/10');
    const hit = await get(server, '/pages/10');
    expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true);
    expect(miss.headers['x-request-id']).not.toBe(hit.headers['x-request-id']);
    for (const id of [miss.headers['x-request-id'], hit.headers['x-request-id']] as string[])
      expect(hit.body).not.toContain(id);
  });
});
