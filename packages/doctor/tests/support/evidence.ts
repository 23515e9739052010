import type { AssetEvidence, Evidence, ObservedResponse } from '../../src/index.js';

export const ORIGIN = 'https://blog.example.com';
export const SENT_REQUEST_ID = 'doctor-sent-id';
export const TRACE_MARKER = 'doctor-trace-marker';
const SRI = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

export const HARDENED_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; " +
    "form-action 'self'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'permissions-policy': 'camera=()',
  'x-request-id': SENT_REQUEST_ID,
};

/** A page a bit over 1 kB, loading one hashed module script with integrity and one stylesheet. */
export const PAGE_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title>' +
  `<link rel="stylesheet" href="/assets/entry-Uwx-uiRM.css" integrity="${SRI}" crossorigin="anonymous">` +
  `<link rel="modulepreload" href="/assets/entry-DIa_uwaX.js" integrity="${SRI}" crossorigin="anonymous"></head>` +
  `<body><main>${'<p>Lorem ipsum dolor sit amet.</p>'.repeat(40)}</main>` +
  '<script type="application/json" id="state">{"a":"<script src=/assets/fake-ABCDEFGH.js></script>"}</script>' +
  `<script type="module" src="/assets/entry-DIa_uwaX.js" integrity="${SRI}" crossorigin="anonymous"></script></body></html>`;

type Headers = Record<string, string | readonly string[] | undefined>;

/** A crafted response: hardened headers unless overridden; `undefined` removes a header. */
export function response(path: string, status: number, headers: Headers = {}, body = ''): ObservedResponse {
  const merged: Record<string, readonly string[]> = {};
  for (const [name, value] of Object.entries({ ...HARDENED_HEADERS, ...headers })) {
    if (value !== undefined) merged[name] = typeof value === 'string' ? [value] : value;
  }
  return { url: new URL(path, ORIGIN).href, status, headers: merged, body };
}

export const noResponse = (path: string, error = 'ECONNREFUSED'): ObservedResponse => ({
  url: new URL(path, ORIGIN).href,
  status: 0,
  headers: {},
  body: '',
  error,
});

const html = { 'content-type': 'text/html; charset=utf-8' };
const json = { 'content-type': 'application/json; charset=utf-8' };
const IMMUTABLE = { 'cache-control': 'public, max-age=31536000, immutable', etag: 'W/"603f-1a2"' };

export function asset(path: string, kind: AssetEvidence['kind'], overrides: Headers = {}): AssetEvidence {
  const type = { 'content-type': kind === 'script' ? 'text/javascript' : 'text/css', 'content-encoding': 'br' };
  return {
    kind,
    response: response(path, 200, { ...type, ...IMMUTABLE, ...overrides }, 'x'.repeat(4000)),
    revalidated: response(path, 304, { ...IMMUTABLE, ...overrides }),
    ...(kind === 'script'
      ? { sourceMap: response(`${path}.map`, 404, { 'content-type': 'text/plain' }, 'Not Found') }
      : {}),
  };
}

/** What a hardened deployment at https://blog.example.com answers: every check passes. */
export function hardenedEvidence(overrides: Partial<Evidence> = {}): Evidence {
  const page = response(
    '/',
    200,
    { ...html, 'content-encoding': 'br', 'cache-control': 'public, max-age=60', etag: '"abc-br"' },
    PAGE_HTML,
  );
  return {
    target: new URL('/', ORIGIN),
    page,
    pageRevalidated: response('/', 304, { ...html, 'cache-control': 'public, max-age=60', etag: '"abc-br"' }),
    sentRequestId: SENT_REQUEST_ID,
    extraPages: [],
    notFound: response(
      '/__missing',
      404,
      { ...html, 'cache-control': 'no-store' },
      '<!doctype html><h1>Not found</h1>',
    ),
    notFoundJson: response('/__missing', 404, json, '{"error":{"status":404,"code":"NOT_FOUND"}}'),
    badRequest: response('/%E0%A4%A', 400, json, '{"error":{"status":400,"code":"BAD_URL"}}'),
    api: response('/api/posts', 200, { ...json, 'cache-control': 'no-cache' }, '{"posts":[]}'),
    assets: [asset('/assets/entry-DIa_uwaX.js', 'script'), asset('/assets/entry-Uwx-uiRM.css', 'stylesheet')],
    health: response('/health', 200, json, '{"status":"ok"}'),
    ready: response('/ready', 200, json, '{"status":"ready"}'),
    metrics: response('/metrics', 404, html, '<h1>Not found</h1>'),
    trace: response('/', 405, { 'content-type': 'text/plain' }, 'Method Not Allowed'),
    traceMarker: TRACE_MARKER,
    httpRedirect: {
      from: 'http://blog.example.com/',
      explicit: false,
      response: { url: 'http://blog.example.com/', status: 301, headers: { location: [`${ORIGIN}/`] }, body: '' },
    },
    ...overrides,
  };
}
