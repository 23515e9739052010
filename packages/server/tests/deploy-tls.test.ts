/**
 * Deployment without a proxy: the server terminates TLS itself (TLS_CERT/TLS_KEY), speaks HTTP/2
 * with an HTTP/1.1 fallback, optionally redirects plain HTTP to PUBLIC_URL (HTTP_REDIRECT_PORT),
 * and the configuration refuses the combinations that cannot work.
 */
import { rmSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { availableParallelism } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import type { FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ComposableServer } from '../src/index.js';
import { closeTestServers, startTestServer } from './support/test-server.js';
import { ConfigError, loadServerConfig } from '../src/subpaths/config.js';
import { fixtureApp, fixtureClientDir } from './fixtures/app.js';
import {
  createTestCertificate,
  freePort,
  http1TlsGet,
  http2Get,
  http2GetOnce,
  isListening,
  openHttp2,
  plainGet,
  timed,
  type Answer,
  type TestCertificate,
} from './support/deploy-tls.js';

const SECRET = 'deploy-tls-test-secret-that-is-long-enough';
const HSTS = 'max-age=31536000; includeSubDomains';

let cert: TestCertificate;
const clientDirs: string[] = [];

closeTestServers();

beforeAll(async () => {
  cert = await createTestCertificate();
}, 20_000);

afterAll(() => {
  cert?.remove();
  for (const dir of clientDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A route that answers after `ms`, to hold a request in flight. */
const slowRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { slow: true };
  });
};

interface Started {
  readonly server: ComposableServer;
  readonly port: number;
  /** https://localhost:<port>, as PUBLIC_URL says. */
  readonly origin: string;
}

/** The fixture app on a free port, with TLS unless `tls: false`, through the shared harness. */
async function startServer(
  options: { env?: Record<string, string>; tls?: boolean; routes?: FastifyPluginAsync; track?: boolean } = {},
): Promise<Started> {
  const port = await freePort();
  const tls = options.tls ?? true;
  const { server } = await startTestServer({
    ...(options.routes ? { routes: options.routes } : {}),
    // Untracked servers are shared by a describe block, which closes them; the file's end is the backstop.
    lifetime: options.track === false ? 'file' : 'test',
    env: {
      SESSION_SECRET: SECRET,
      PUBLIC_URL: `${tls ? 'https' : 'http'}://localhost:${port}`,
      ...(tls ? { TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath } : {}),
      HOST: '127.0.0.1',
      PORT: String(port),
      RATE_LIMIT_MAX: '100000',
      ...options.env,
    },
  });
  await server.start();
  return { server, port, origin: `${tls ? 'https' : 'http'}://localhost:${port}` };
}

function expectSecurityHeaders(answer: Answer, label: string): void {
  const h = answer.headers;
  const csp = String(h['content-security-policy'] ?? '');
  expect(csp, `${label}: CSP`).toContain("default-src 'none'");
  expect(csp, `${label}: CSP`).toContain("script-src 'self'");
  expect(csp, `${label}: CSP`).toContain("frame-ancestors 'none'");
  expect(h['strict-transport-security'], `${label}: HSTS`).toBe(HSTS);
  expect(h['x-content-type-options'], `${label}: nosniff`).toBe('nosniff');
  expect(h['x-frame-options'], `${label}: x-frame-options`).toBe('DENY');
  expect(h['referrer-policy'], `${label}: referrer-policy`).toBe('strict-origin-when-cross-origin');
  expect(h['x-request-id'], `${label}: request id`).toMatch(/\S/);
  expect(h['x-powered-by'], `${label}: x-powered-by`).toBeUndefined();
}

describe('TLS_CERT/TLS_KEY: HTTPS with HTTP/2 and an HTTP/1.1 fallback', () => {
  let main: Started;

  beforeAll(async () => {
    main = await startServer({ track: false });
  }, 20_000);

  afterAll(async () => {
    await main?.server.close();
  });

  it('serves the page over HTTP/2 (ALPN h2) with the security headers', async () => {
    const page = await http2GetOnce(main.origin, cert.cert, '/', { accept: 'text/html' });
    expect(page.alpn).toBe('h2');
    expect(page.headers[':status']).toBe(200);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toMatch(/^<!doctype html>/i);
    expect(page.body).toContain('<main><h1>Home');
    expectSecurityHeaders(page, 'h2 /');
  });

  it('serves the same page to an HTTP/1.1-only client (ALPN http/1.1) and to one offering no ALPN', async () => {
    const h2 = await http2GetOnce(main.origin, cert.cert, '/', { accept: 'text/html' });
    const h1 = await http1TlsGet(main.origin, cert.cert, '/', { headers: { accept: 'text/html' } });
    const noAlpn = await http1TlsGet(main.origin, cert.cert, '/', { headers: { accept: 'text/html' }, alpn: null });
    for (const [label, answer] of [
      ['http/1.1', h1],
      ['no ALPN', noAlpn],
    ] as const) {
      expect(answer.status, label).toBe(200);
      expect(answer.httpVersion, label).toBe('1.1');
      expect(answer.headers['content-type'], label).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(answer, label);
      // The same bytes whichever protocol carried them.
      expect(answer.body, label).toBe(h2.body);
      expect(answer.headers.etag, label).toBe(h2.headers.etag);
    }
    expect(h1.alpn).toBe('http/1.1');
    expect(noAlpn.alpn).toBeFalsy();
  });

  it('answers /health over both protocols', async () => {
    const h2 = await http2GetOnce(main.origin, cert.cert, '/health');
    const h1 = await http1TlsGet(main.origin, cert.cert, '/health');
    for (const [label, answer] of [
      ['h2', h2],
      ['http/1.1', h1],
    ] as const) {
      expect(answer.status, label).toBe(200);
      expect(JSON.parse(answer.body), label).toEqual({ status: 'ok' });
      expect(answer.headers['cache-control'], label).toBe('no-store');
    }
  });

  it('answers an unknown page with an HTML 404 and an unknown API path with a JSON 404 over HTTP/2', async () => {
    const session = await openHttp2(main.origin, cert.cert);
    try {
      const html = await http2Get(session, '/no/such/page', { accept: 'text/html' });
      expect(html.status).toBe(404);
      expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(html.body).toContain('<h1>Nothing here</h1>');
      expectSecurityHeaders(html, 'h2 404');
      const json = await http2Get(session, '/api/no-such-thing', { accept: 'application/json' });
      expect(json.status).toBe(404);
      expect(JSON.parse(json.body)).toMatchObject({ error: { status: 404, code: 'NOT_FOUND' } });
    } finally {
      session.close();
    }
  });

  it('multiplexes concurrent requests on one HTTP/2 session', async () => {
    const session = await openHttp2(main.origin, cert.cert);
    try {
      const paths = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? '/health' : `/items/${i + 1}`));
      const answers = await Promise.all(paths.map((path) => http2Get(session, path, { accept: 'text/html' })));
      expect(answers.map((answer) => answer.status)).toEqual(paths.map(() => 200));
      answers.forEach((answer, i) => {
        if (paths[i] !== '/health') expect(answer.body).toContain(`Item ${i + 1}`);
      });
    } finally {
      session.close();
    }
  });

  it('serves nothing in cleartext on the TLS port', async () => {
    const outcome = await plainGet(main.port, '/').then(
      (answer) => answer.status,
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    expect(outcome).not.toBe(200);
  });
});

describe('TLS: connection limits and shutdown', () => {
  it('a request in flight over HTTP/2 when shutdown starts is answered, then shutdown finishes once the client leaves', async () => {
    const { server, origin } = await startServer({ routes: slowRoutes });
    const session = await openHttp2(origin, cert.cert);
    try {
      const inFlight = http2Get(session, '/slow', { accept: 'application/json' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const shutdown = server.shutdown();
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ slow: true });
      session.close();
      expect(await timed(shutdown, 3000)).not.toBe('timeout');
    } finally {
      session.destroy();
    }
  });

  it('shutdown finishes at once with an idle HTTP/1.1 keep-alive connection open over TLS', async () => {
    const { server, port } = await startServer();
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: cert.cert,
      ALPNProtocols: ['http/1.1'],
    });
    try {
      await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      await new Promise((resolve) => socket.once('data', resolve));
      expect(await timed(server.shutdown(), 2000)).not.toBe('timeout');
    } finally {
      socket.destroy();
    }
  });

  it('shutdown finishes promptly while a client holds an idle HTTP/2 session', async () => {
    const { server, origin } = await startServer();
    const session = await openHttp2(origin, cert.cert);
    let took: number | 'timeout' | undefined;
    try {
      await http2Get(session, '/health');
      took = await timed(server.shutdown(), 2000);
    } finally {
      // Let the hung close finish so nothing is left behind.
      session.close();
    }
    expect(took).not.toBe('timeout');
  });

  it('control: without TLS, MAX_HEADER_BYTES refuses a larger header block with 431', async () => {
    const { port } = await startServer({ tls: false, env: { MAX_HEADER_BYTES: '1024' } });
    const answer = await plainGet(port, '/health', { 'x-padding': 'a'.repeat(4000) });
    expect(answer.status).toBe(431);
  });

  it('with TLS, MAX_HEADER_BYTES still refuses a larger header block (HTTP/1.1 fallback and HTTP/2)', async () => {
    const { origin } = await startServer({ env: { MAX_HEADER_BYTES: '1024' } });
    const padding = { 'x-padding': 'a'.repeat(4000) };
    const outcome = (promise: Promise<Answer>) =>
      promise.then(
        (answer) => answer.status,
        () => 'refused',
      );
    const h1 = await outcome(http1TlsGet(origin, cert.cert, '/health', { headers: padding }));
    const h2 = await outcome(http2GetOnce(origin, cert.cert, '/health', padding));
    expect({ h1: h1 === 200 ? 'served' : 'refused', h2: h2 === 200 ? 'served' : 'refused' }).toEqual({
      h1: 'refused',
      h2: 'refused',
    });
  });

  it('control: without TLS, the listener carries REQUEST_TIMEOUT_MS', async () => {
    const { server } = await startServer({ tls: false, env: { REQUEST_TIMEOUT_MS: '2000' } });
    expect((server.server as { requestTimeout?: number }).requestTimeout).toBe(2000);
  });

  it('with TLS, the listener carries REQUEST_TIMEOUT_MS for its HTTP/1.1 fallback', async () => {
    const { server } = await startServer({ env: { REQUEST_TIMEOUT_MS: '2000' } });
    expect((server.server as { requestTimeout?: number }).requestTimeout).toBe(2000);
  });

  it('control: without TLS, an idle keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const { port } = await startServer({ tls: false, env: { KEEP_ALIVE_TIMEOUT_MS: '300' } });
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      // Wrapped: resolving with the bare promise would wait for the close itself.
      const { closed } = await new Promise<{ closed: Promise<unknown> }>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port, path: '/health', agent }, (response) => {
          response.resume();
          const socket = response.socket;
          const closed = new Promise((done) => socket.once('close', done));
          response.once('end', () => resolve({ closed }));
        });
        request.once('error', reject);
        request.end();
      });
      expect(await timed(closed, 2500)).not.toBe('timeout');
    } finally {
      agent.destroy();
    }
  });

  it('with TLS, an idle HTTP/1.1 keep-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS', async () => {
    const { port } = await startServer({ env: { KEEP_ALIVE_TIMEOUT_MS: '300' } });
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      servername: 'localhost',
      ca: cert.cert,
      ALPNProtocols: ['http/1.1'],
    });
    let took: number | 'timeout' | undefined;
    try {
      await new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      // Read the response: a paused socket never sees the server's close.
      socket.resume();
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
      took = await timed(closed, 2500);
    } finally {
      socket.destroy();
    }
    expect(took).not.toBe('timeout');
  });
});

describe('HTTP_REDIRECT_PORT: plain HTTP answers 308 to PUBLIC_URL', () => {
  let main: Started;
  let redirectPort: number;

  beforeAll(async () => {
    redirectPort = await freePort();
    main = await startServer({ env: { HTTP_REDIRECT_PORT: String(redirectPort) }, track: false });
  }, 20_000);

  afterAll(async () => {
    await main?.server.close();
  });

  it('redirects a path and query to the same path and query on PUBLIC_URL', async () => {
    const answer = await plainGet(redirectPort, '/posts/3?x=1');
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe(`${main.origin}/posts/3?x=1`);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.body).toBe('');
  });

  it('builds the location from PUBLIC_URL, never from the Host header', async () => {
    for (const host of ['evil.example', 'evil.example:443', `localhost:${redirectPort}`, '127.0.0.1']) {
      const answer = await plainGet(redirectPort, '/posts/3?x=1', { host });
      expect(answer.status, host).toBe(308);
      expect(answer.headers.location, host).toBe(`${main.origin}/posts/3?x=1`);
    }
    const forwarded = await plainGet(redirectPort, '/a', {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
    });
    expect(forwarded.headers.location).toBe(`${main.origin}/a`);
  });

  it('never redirects off-site, whatever the request target', async () => {
    const targets = [
      '//evil.example/x',
      '///evil.example/x',
      '/\\evil.example',
      '/\\/evil.example',
      'http://evil.example/x',
      '/@evil.example',
      '/%2F%2Fevil.example',
      '/.evil.example',
    ];
    for (const target of targets) {
      const answer = await plainGet(redirectPort, target, { host: 'evil.example' });
      expect(answer.status, target).toBe(308);
      const location = String(answer.headers.location);
      expect(location.startsWith(`${main.origin}/`), `${target} -> ${location}`).toBe(true);
      // How a browser resolves it: still our origin.
      expect(new URL(location).origin, `${target} -> ${location}`).toBe(new URL(main.origin).origin);
      expect(location, target).not.toMatch(/^https:\/\/localhost:\d+\/\//);
    }
    expect((await plainGet(redirectPort, '//evil.example/x')).headers.location).toBe(`${main.origin}/`);
  });

  it('redirects other methods with 308, which keeps the method and body', async () => {
    const answer = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: redirectPort,
          method: 'POST',
          path: '/subscribe',
          agent: false,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        },
        (response) => {
          response.resume();
          response.once('end', () => resolve({ status: response.statusCode!, location: response.headers.location }));
        },
      );
      request.once('error', reject);
      request.end('email=a%40b.example');
    });
    expect(answer).toEqual({ status: 308, location: `${main.origin}/subscribe` });
  });

  it('keeps serving HTTPS on PORT next to the redirect listener', async () => {
    const page = await http2GetOnce(main.origin, cert.cert, '/health');
    expect(page.status).toBe(200);
  });
});

describe('HTTP_REDIRECT_PORT: closing', () => {
  it('closing the server closes the redirect listener too, even with an idle keep-alive connection on it', async () => {
    const redirectPort = await freePort();
    const { server, port } = await startServer({ env: { HTTP_REDIRECT_PORT: String(redirectPort) }, track: false });
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await isListening(redirectPort)).toBe(true);
      expect(await isListening(port)).toBe(true);
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest({ host: '127.0.0.1', port: redirectPort, path: '/', agent }, (response) => {
          response.resume();
          response.once('end', () => resolve(response.statusCode!));
        });
        request.once('error', reject);
        request.end();
      });
      expect(status).toBe(308);
      expect(await timed(server.close(), 3000)).not.toBe('timeout');
      expect(await isListening(redirectPort)).toBe(false);
      expect(await isListening(port)).toBe(false);
    } finally {
      agent.destroy();
      await server.close().catch(() => undefined);
    }
  });
});

describe('TLS and cluster configuration', () => {
  const BASE = { NODE_ENV: 'production', SESSION_SECRET: SECRET, PUBLIC_URL: 'https://blog.example' } as const;

  function problemsOf(env: Record<string, string>): readonly string[] {
    try {
      loadServerConfig({ ...BASE, ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    return [];
  }

  it('accepts a certificate with its key, and a redirect port with an https PUBLIC_URL', () => {
    const config = loadServerConfig({
      ...BASE,
      TLS_CERT: cert.certPath,
      TLS_KEY: cert.keyPath,
      HTTP_REDIRECT_PORT: '8080',
    });
    expect(config.tls).toEqual({ certPath: cert.certPath, keyPath: cert.keyPath });
    expect(config.httpRedirectPort).toBe(8080);
    const plain = loadServerConfig({ ...BASE });
    expect(plain.tls).toBeUndefined();
    expect(plain.httpRedirectPort).toBeUndefined();
  });

  it('TLS_CERT without TLS_KEY (or the reverse) is a ConfigError naming both', () => {
    for (const env of [{ TLS_CERT: cert.certPath }, { TLS_KEY: cert.keyPath }] as Record<string, string>[]) {
      const problems = problemsOf(env);
      const problem = problems.find((p) => p.includes('TLS_CERT') && p.includes('TLS_KEY'));
      expect(problem, JSON.stringify(problems)).toBeDefined();
    }
  });

  it('createServer refuses a half TLS configuration before listening', async () => {
    const clientDir = fixtureClientDir();
    clientDirs.push(clientDir);
    await expect(
      createServer({
        app: fixtureApp({ signals: [] }),
        clientDir,
        env: { ...BASE, LOG_LEVEL: 'silent', TLS_CERT: cert.certPath },
      }),
    ).rejects.toBeInstanceOf(ConfigError);
  });

  it('a certificate or key path with no file behind it is a problem naming the path', () => {
    const missing = `${cert.dir}/no-such-cert.pem`;
    const certProblems = problemsOf({ TLS_CERT: missing, TLS_KEY: cert.keyPath });
    expect(
      certProblems.some((p) => p.startsWith('TLS_CERT') && p.includes(missing)),
      JSON.stringify(certProblems),
    ).toBe(true);
    const missingKey = `${cert.dir}/no-such-key.pem`;
    const keyProblems = problemsOf({ TLS_CERT: cert.certPath, TLS_KEY: missingKey });
    expect(
      keyProblems.some((p) => p.startsWith('TLS_KEY') && p.includes(missingKey)),
      JSON.stringify(keyProblems),
    ).toBe(true);
  });

  it('HTTP_REDIRECT_PORT without TLS is a problem', () => {
    const problems = problemsOf({ HTTP_REDIRECT_PORT: '8080' });
    expect(
      problems.some((p) => p.startsWith('HTTP_REDIRECT_PORT') && p.includes('TLS')),
      JSON.stringify(problems),
    ).toBe(true);
  });

  it('HTTP_REDIRECT_PORT with an http:// (or missing) PUBLIC_URL is a problem', () => {
    const tls = { TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath, HTTP_REDIRECT_PORT: '8080' };
    const http = problemsOf({ ...tls, PUBLIC_URL: 'http://blog.example' });
    expect(
      http.some((p) => p.startsWith('HTTP_REDIRECT_PORT') && p.includes('PUBLIC_URL')),
      JSON.stringify(http),
    ).toBe(true);
    let unset: readonly string[] = [];
    try {
      loadServerConfig({ NODE_ENV: 'production', SESSION_SECRET: SECRET, ...tls });
    } catch (error) {
      unset = (error as ConfigError).problems;
    }
    expect(
      unset.some((p) => p.startsWith('HTTP_REDIRECT_PORT') && p.includes('PUBLIC_URL')),
      JSON.stringify(unset),
    ).toBe(true);
  });

  it('HTTP_REDIRECT_PORT must be a port number', () => {
    const tls = { TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath };
    for (const value of ['abc', '0', '65536', '-1', '8080abc']) {
      const problems = problemsOf({ ...tls, HTTP_REDIRECT_PORT: value });
      expect(
        problems.some((p) => p.startsWith('HTTP_REDIRECT_PORT')),
        `${value}: ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
  });

  it('HTTP_REDIRECT_PORT that is not a whole number (8e3, 80.5, true) is a problem, not a different port', () => {
    const tls = { TLS_CERT: cert.certPath, TLS_KEY: cert.keyPath };
    const accepted = ['8e3', '80.5', 'true'].filter(
      (value) => problemsOf({ ...tls, HTTP_REDIRECT_PORT: value }).length === 0,
    );
    expect(accepted).toEqual([]);
  });

  it('WEB_CONCURRENCY: 1 by default, a number of workers, or auto = every core', () => {
    expect(loadServerConfig({ ...BASE }).workers).toBe(1);
    expect(loadServerConfig({ ...BASE, WEB_CONCURRENCY: '4' }).workers).toBe(4);
    expect(loadServerConfig({ ...BASE, WEB_CONCURRENCY: 'auto' }).workers).toBe(availableParallelism());
  });

  it('WEB_CONCURRENCY 0, abc and other non-counts are problems', () => {
    for (const value of ['0', 'abc', '-1', '1.5', '1000', 'AUTO ', '2x']) {
      const problems = problemsOf({ WEB_CONCURRENCY: value });
      expect(
        problems.some((p) => p.startsWith('WEB_CONCURRENCY')),
        `${value}: ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
  });

  it('reports every TLS, redirect and cluster problem at once', () => {
    const problems = problemsOf({
      TLS_CERT: `${cert.dir}/nope.pem`,
      HTTP_REDIRECT_PORT: '8080',
      PUBLIC_URL: 'http://blog.example',
      WEB_CONCURRENCY: '0',
    });
    for (const name of ['TLS_CERT and TLS_KEY', 'TLS_CERT: no file', 'HTTP_REDIRECT_PORT', 'WEB_CONCURRENCY']) {
      expect(
        problems.some((p) => p.startsWith(name)),
        `${name}: ${JSON.stringify(problems)}`,
      ).toBe(true);
    }
  });
});
