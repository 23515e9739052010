import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { closeServers, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const PUBLIC_ORIGIN = 'https://example.test';
const FORM = 'application/x-www-form-urlencoded';

interface Session {
  readonly token: string;
  /** The `name=value` pair to send back in a Cookie header. */
  readonly cookie: string;
}

/** The CSRF cookie's name when PUBLIC_URL is https (every test server here unless it says otherwise). */
const HTTPS_COOKIE = '__Host-cs_csrf';
const PLAIN_HTTP_COOKIE = 'cs_csrf';

function csrfCookieOf(response: LightMyRequestResponse): string | undefined {
  const header = response.headers['set-cookie'];
  const all = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return all.find((c) => c.startsWith(`${HTTPS_COOKIE}=`) || c.startsWith(`${PLAIN_HTTP_COOKIE}=`));
}

function attributesOf(cookie: string): string[] {
  return cookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());
}

/** A browser session: the token a page would embed and the cookie that came with it. */
async function newSession(server: ComposableServer): Promise<Session> {
  const response = await server.inject('/token');
  expect(response.statusCode).toBe(200);
  const cookie = csrfCookieOf(response);
  expect(cookie, 'GET /token sets the CSRF cookie').toBeDefined();
  return { token: response.json<{ token: string }>().token, cookie: cookie!.split(';')[0]! };
}

type Transport = 'form field' | 'header';
const transports: readonly Transport[] = ['form field', 'header'];

/** A state-changing request as a page would send it: a urlencoded form, or JSON from script. */
function submission(via: Transport, token: string | undefined, headers: Record<string, string> = {}): InjectOptions {
  if (via === 'form field') {
    const field = token === undefined ? '' : `_csrf=${encodeURIComponent(token)}&`;
    return {
      method: 'POST',
      url: '/form',
      payload: `${field}note=hello`,
      headers: { 'content-type': FORM, ...headers },
    };
  }
  return {
    method: 'POST',
    url: '/api/things',
    payload: JSON.stringify({ note: 'hello' }),
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { 'x-csrf-token': token }),
      ...headers,
    },
  };
}

function expectRefused(response: LightMyRequestResponse, label: string): void {
  expect(response.statusCode, `${label}: ${response.body.slice(0, 200)}`).toBe(403);
  expect(response.body, label).not.toContain('"ok":true');
}

/** What a token can look like without being the right one (applied to a valid token). */
type Mutation =
  | { readonly type: 'random'; readonly value: string }
  | { readonly type: 'truncate'; readonly at: number }
  | { readonly type: 'change'; readonly at: number; readonly char: string }
  | { readonly type: 'append'; readonly suffix: string }
  | { readonly type: 'empty' };

// Header values are trimmed and cannot hold control characters: keep to visible ASCII.
const visible = fc.stringMatching(/^[\x21-\x7e]{1,80}$/);
const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  visible.map((value) => ({ type: 'random' as const, value })),
  fc.nat().map((at) => ({ type: 'truncate' as const, at })),
  fc
    .tuple(fc.nat(), fc.constantFrom(...TOKEN_ALPHABET, '.', '=', '+', '/'))
    .map(([at, char]) => ({ type: 'change' as const, at, char })),
  visible.map((suffix) => ({ type: 'append' as const, suffix })),
  fc.constant({ type: 'empty' as const }),
);

function mutate(token: string, m: Mutation): string {
  switch (m.type) {
    case 'random':
      return m.value;
    case 'truncate':
      return token.slice(0, m.at % token.length);
    case 'change': {
      const at = m.at % token.length;
      // Always a different character at that position.
      const char = m.char === token[at] ? (token[at] === 'A' ? 'B' : 'A') : m.char;
      return token.slice(0, at) + char + token.slice(at + 1);
    }
    case 'append':
      return token + m.suffix;
    case 'empty':
      return '';
  }
}

describe('CSRF tokens', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    server = (await startServer({ RATE_LIMIT_MAX: '1000000' }, { lifetime: 'file' })).server;
  });

  it('the correct token is accepted from the _csrf form field and from the x-csrf-token header', async () => {
    for (const via of transports) {
      const session = await newSession(server);
      const response = await server.inject(submission(via, session.token, { cookie: session.cookie }));
      expect(response.statusCode, `${via}: ${response.body}`).toBe(200);
      expect(response.json()).toMatchObject({ ok: true });
    }
  });

  it('property: tokens are unique across calls, within a session and across sessions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 2, maxLength: 25 }), async (reuseSession) => {
        const seen = new Set<string>();
        let cookie: string | undefined;
        for (const reuse of reuseSession) {
          const response = await server.inject({ url: '/token', headers: reuse && cookie ? { cookie } : {} });
          const token = response.json<{ token: string }>().token;
          expect(token.length).toBeGreaterThanOrEqual(20);
          expect(seen.has(token), `token repeated after ${seen.size} calls`).toBe(false);
          seen.add(token);
          cookie ??= csrfCookieOf(response)?.split(';')[0];
        }
      }),
      { numRuns: 30 },
    );
  });

  it('property: a token only works with the cookie (session) it was issued with', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...transports), async (via) => {
        const a = await newSession(server);
        const b = await newSession(server);
        expectRefused(
          await server.inject(submission(via, a.token, { cookie: b.cookie })),
          `${via}: token A with cookie B`,
        );
        expectRefused(
          await server.inject(submission(via, b.token, { cookie: a.cookie })),
          `${via}: token B with cookie A`,
        );
        // The same requests with matching pairs pass: the refusals above are about the binding.
        expect((await server.inject(submission(via, a.token, { cookie: a.cookie }))).statusCode).toBe(200);
        expect((await server.inject(submission(via, b.token, { cookie: b.cookie }))).statusCode).toBe(200);
      }),
      { numRuns: 20 },
    );
  });

  it('property: every wrong token is refused (random, truncated, one character changed, extended, empty)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...transports), mutation, async (via, m) => {
        const session = await newSession(server);
        const wrong = mutate(session.token, m);
        fc.pre(wrong !== session.token);
        expectRefused(
          await server.inject(submission(via, wrong, { cookie: session.cookie })),
          `${via} ${JSON.stringify(m)}`,
        );
      }),
      { numRuns: 150 },
    );
  });

  it('a CSRF cookie not signed with the server secret is refused, even with its own token', async () => {
    const session = await newSession(server);
    const [name, value] = session.cookie.split('=') as [string, string];
    const unsigned = decodeURIComponent(value).replace(/\.[^.]*$/, '');
    for (const forged of [
      `${name}=${encodeURIComponent(unsigned)}`,
      `${name}=${encodeURIComponent(`${unsigned}.not-the-signature`)}`,
    ]) {
      for (const via of transports)
        expectRefused(await server.inject(submission(via, session.token, { cookie: forged })), `${via} ${forged}`);
    }
  });

  it('a missing token is refused on cookie-carrying and on form requests, naming _csrf and x-csrf-token', async () => {
    const session = await newSession(server);
    const cases: [string, InjectOptions][] = [
      ['JSON with the CSRF cookie', submission('header', undefined, { cookie: session.cookie })],
      ['JSON with some other cookie', submission('header', undefined, { cookie: 'session=abc' })],
      ['form with the CSRF cookie', submission('form field', undefined, { cookie: session.cookie })],
      ['form without any cookie', submission('form field', undefined)],
      [
        'text/plain without any cookie',
        { method: 'POST', url: '/form', payload: 'note=hello', headers: { 'content-type': 'text/plain' } },
      ],
      [
        'DELETE with a cookie and no body',
        { method: 'DELETE', url: '/api/things/1', headers: { cookie: session.cookie } },
      ],
      [
        'PUT with a cookie',
        {
          method: 'PUT',
          url: '/api/things/1',
          payload: '{}',
          headers: { 'content-type': 'application/json', cookie: session.cookie },
        },
      ],
    ];
    for (const [label, request] of cases) {
      const response = await server.inject({ ...request, headers: { ...request.headers, accept: 'application/json' } });
      expectRefused(response, label);
      const { error } = response.json<{ error: { message: string; details?: { code?: string } } }>();
      expect(error.message, label).toContain('_csrf');
      expect(error.message, label).toContain('x-csrf-token');
      expect(error.details?.code, label).toBe('CSRF_MISSING');
    }
  });

  it('PUT and DELETE accept the right token like POST', async () => {
    const session = await newSession(server);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.token };
    expect((await server.inject({ method: 'DELETE', url: '/api/things/1', headers })).statusCode).toBe(200);
    expect(
      (
        await server.inject({
          method: 'PUT',
          url: '/api/things/1',
          payload: '{}',
          headers: { ...headers, 'content-type': 'application/json' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('JSON with no cookies and no form content type passes without a token', async () => {
    // Such a request cannot be a forgery riding on the victim's credentials: it carries none. A
    // browser sends a cross-site application/json body only after a CORS preflight, which this
    // server does not grant (CORS is off by default), and cross-site forms can only send the form
    // types, which always need a token.
    const response = await server.inject(submission('header', undefined));
    expect(response.statusCode).toBe(200);
    // The origin checks still apply to it.
    expectRefused(
      await server.inject(submission('header', undefined, { origin: 'https://evil.example' })),
      'JSON, no cookie, foreign Origin',
    );
    expectRefused(
      await server.inject(submission('header', undefined, { 'sec-fetch-site': 'cross-site' })),
      'JSON, no cookie, cross-site',
    );
  });
});

describe('CSRF request origin checks', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    server = (await startServer({ RATE_LIMIT_MAX: '1000000' }, { lifetime: 'file' })).server;
  });

  it('Sec-Fetch-Site cross-site or same-site is refused even with a valid token; same-origin and none pass', async () => {
    for (const via of transports) {
      for (const site of ['cross-site', 'same-site']) {
        const session = await newSession(server);
        const response = await server.inject(
          submission(via, session.token, {
            cookie: session.cookie,
            'sec-fetch-site': site,
            accept: 'application/json',
          }),
        );
        expectRefused(response, `${via} ${site}`);
        expect(response.json()).toMatchObject({ error: { details: { code: 'CSRF_CROSS_SITE' } } });
      }
      for (const site of ['same-origin', 'none']) {
        const session = await newSession(server);
        expect(
          (await server.inject(submission(via, session.token, { cookie: session.cookie, 'sec-fetch-site': site })))
            .statusCode,
          `${via} ${site}`,
        ).toBe(200);
      }
    }
  });

  it('property: a foreign Origin is refused even with a valid token', async () => {
    const foreignOrigin = fc
      .oneof(
        fc.webUrl({ validSchemes: ['http', 'https'] }).map((url) => new URL(url).origin),
        fc.constantFrom(
          'null',
          'https://example.test.evil.example',
          'https://evil-example.test',
          'http://example.test',
          'https://example.test:8443',
          'https://sub.example.test',
        ),
      )
      .filter((origin) => origin !== PUBLIC_ORIGIN);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...transports), foreignOrigin, async (via, origin) => {
        const session = await newSession(server);
        const response = await server.inject(
          submission(via, session.token, { cookie: session.cookie, origin, accept: 'application/json' }),
        );
        expectRefused(response, `${via} Origin ${origin}`);
        expect(response.json()).toMatchObject({ error: { details: { code: 'CSRF_ORIGIN' } } });
      }),
      { numRuns: 60 },
    );
  });

  it('an Origin naming the Host the request itself names is refused: only PUBLIC_URL decides', async () => {
    for (const via of transports) {
      const session = await newSession(server);
      // DNS rebinding: the attacker's name now points here, and the browser sends it as Host and Origin.
      const response = await server.inject(
        submission(via, session.token, {
          cookie: session.cookie,
          host: 'rebound.evil.example',
          origin: 'http://rebound.evil.example',
          'sec-fetch-site': 'same-origin',
          accept: 'application/json',
        }),
      );
      expectRefused(response, `${via} rebound Host`);
      expect(response.json()).toMatchObject({ error: { details: { code: 'CSRF_ORIGIN' } } });
    }
    // Behind a trusted proxy that passes X-Forwarded-Host and X-Forwarded-Proto through.
    const proxied = (await startServer({ TRUST_PROXY: 'true' })).server;
    const session = await newSession(proxied);
    const forwarded = await proxied.inject(
      submission('header', session.token, {
        cookie: session.cookie,
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        origin: 'https://evil.example',
        accept: 'application/json',
      }),
    );
    expectRefused(forwarded, 'X-Forwarded-Host');
    expect(forwarded.json().error.message).toBe(
      `Cross-origin request refused: Origin https://evil.example is not this site (${PUBLIC_ORIGIN})`,
    );
  });

  it('an origin on the CORS allow-list passes with a token', async () => {
    const withCors = (await startServer({ CORS_ORIGINS: 'https://app.example' })).server;
    const session = await newSession(withCors);
    const response = await withCors.inject(
      submission('header', session.token, { cookie: session.cookie, origin: 'https://app.example' }),
    );
    expect(response.statusCode).toBe(200);
  });

  it('the PUBLIC_URL origin passes, also when PUBLIC_URL has a path', async () => {
    for (const via of transports) {
      const session = await newSession(server);
      expect(
        (
          await server.inject(
            submission(via, session.token, {
              cookie: session.cookie,
              origin: PUBLIC_ORIGIN,
              'sec-fetch-site': 'same-origin',
            }),
          )
        ).statusCode,
        via,
      ).toBe(200);
    }
    const withPath = (await startServer({ PUBLIC_URL: 'https://example.test/blog/' })).server;
    const session = await newSession(withPath);
    expect(
      (
        await withPath.inject(
          submission('form field', session.token, { cookie: session.cookie, origin: PUBLIC_ORIGIN }),
        )
      ).statusCode,
    ).toBe(200);
  });
});

describe('CSRF cookie and refusals', () => {
  it('over HTTPS the CSRF cookie is __Host-cs_csrf: HttpOnly, Secure, SameSite=Strict, Path=/, no Domain', async () => {
    for (const env of [{}, { NODE_ENV: 'development' }] as Record<string, string>[]) {
      const { server } = await startServer(env);
      const cookie = csrfCookieOf(await server.inject('/token'))!;
      expect(cookie.startsWith(`${HTTPS_COOKIE}=`), cookie).toBe(true);
      const attributes = attributesOf(cookie);
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=strict', 'path=/']));
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    }
  });

  it('over HTTPS a token paired with an unprefixed cookie (one a subdomain could plant) is refused', async () => {
    const { server } = await startServer();
    const session = await newSession(server);
    const value = session.cookie.slice(session.cookie.indexOf('=') + 1);
    for (const via of transports) {
      const planted = await server.inject(
        submission(via, session.token, { cookie: `${PLAIN_HTTP_COOKIE}=${value}`, accept: 'application/json' }),
      );
      expectRefused(planted, `${via} planted ${PLAIN_HTTP_COOKIE}`);
      expect((await server.inject(submission(via, session.token, { cookie: session.cookie }))).statusCode).toBe(200);
    }
  });

  it('on plain-HTTP localhost the cookie is cs_csrf, still HttpOnly and Strict; Secure only in production', async () => {
    const development = (await startServer({ NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000' })).server;
    const devCookie = csrfCookieOf(await development.inject('/token'))!;
    expect(devCookie.startsWith(`${PLAIN_HTTP_COOKIE}=`), devCookie).toBe(true);
    expect(attributesOf(devCookie)).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(attributesOf(devCookie)).not.toContain('secure');

    const local = (await startServer({ PUBLIC_URL: 'http://127.0.0.1:3000' })).server;
    const localCookie = csrfCookieOf(await local.inject('/token'))!;
    expect(localCookie.startsWith(`${PLAIN_HTTP_COOKIE}=`), localCookie).toBe(true);
    expect(attributesOf(localCookie)).toContain('secure');
    const session = await newSession(local);
    for (const via of transports) {
      const response = await local.inject(
        submission(via, session.token, { cookie: session.cookie, origin: 'http://127.0.0.1:3000' }),
      );
      expect(response.statusCode, via).toBe(200);
    }
  });

  it('refusals are 403 JSON {error:{status, code, message, requestId}} for JSON clients, an HTML page otherwise', async () => {
    const { server } = await startServer();
    const session = await newSession(server);
    const refusals: [string, Record<string, string>][] = [
      ['missing', { cookie: session.cookie }],
      ['wrong', { cookie: session.cookie, 'x-csrf-token': 'wrong' }],
      ['cross-site', { cookie: session.cookie, 'x-csrf-token': session.token, 'sec-fetch-site': 'cross-site' }],
      ['foreign origin', { cookie: session.cookie, 'x-csrf-token': session.token, origin: 'https://evil.example' }],
    ];
    for (const [label, headers] of refusals) {
      const request = (accept: string): InjectOptions => ({
        method: 'POST',
        url: '/form',
        payload: 'note=hello',
        headers: { 'content-type': FORM, accept, ...headers },
      });
      const json = await server.inject(request('application/json'));
      expect(json.statusCode, label).toBe(403);
      expect(json.headers['content-type'], label).toMatch(/^application\/json/);
      const { error } = json.json<{ error: Record<string, unknown> }>();
      expect(error, label).toMatchObject({ status: 403, requestId: json.headers['x-request-id'] });
      expect(error.code, label).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(error.message, label).toMatch(/\w{3}/);

      const html = await server.inject(request('text/html,application/xhtml+xml'));
      expect(html.statusCode, label).toBe(403);
      expect(html.headers['content-type'], label).toBe('text/html; charset=utf-8');
      expect(html.body, label).toMatch(/^<!doctype html>/);
      expect(html.body, label).toContain('403');
      expect(html.body, label).toContain(`request ${html.headers['x-request-id']}`);
    }
  });

  it('GET, HEAD and OPTIONS never need a token, whatever the request looks like', async () => {
    const { server } = await startServer();
    const hostile = {
      cookie: 'cs_csrf=whatever; session=abc',
      'sec-fetch-site': 'cross-site',
      origin: 'https://evil.example',
    };
    for (const [method, url] of [
      ['GET', '/plain'],
      ['HEAD', '/plain'],
      ['OPTIONS', '/options-probe'],
      ['GET', '/token'],
    ] as const) {
      const response = await server.inject({ method, url, headers: hostile });
      expect(response.statusCode, `${method} ${url}`).toBe(200);
    }
  });

  it('a route with config: { csrf: false } is exempt; the same request elsewhere is refused', async () => {
    const { server } = await startServer();
    const request = (url: string): InjectOptions => ({
      method: 'POST',
      url,
      payload: 'event=paid',
      headers: {
        'content-type': FORM,
        cookie: 'session=abc',
        'sec-fetch-site': 'cross-site',
        origin: 'https://psp.example',
      },
    });
    expect((await server.inject(request('/webhook'))).statusCode).toBe(200);
    expectRefused(await server.inject(request('/form')), 'the same request to a protected route');
  });
});
