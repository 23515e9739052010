import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CHECKS_FAILED, EXIT_OK, EXIT_USAGE, runCli, type AuditReport } from '../src/index.js';
import { HARDENED_HEADERS, PAGE_HTML } from './support/evidence.js';

/**
 * A small site on loopback that answers as a hardened deployment would (or, at /bare/, without any
 * protection), so the CLI runs end to end: real requests, real parsing, real exit codes.
 */
function site(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const hardened = !url.pathname.startsWith('/bare');
  const { 'x-request-id': _, ...headers } = hardened ? HARDENED_HEADERS : {};
  response.setHeader('x-request-id', String(request.headers['x-request-id'] ?? 'srv-id'));
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (request.method === 'TRACE') return void response.writeHead(405).end();
  const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    const compress = hardened && body.length > 1024 && /\bbr\b/.test(String(request.headers['accept-encoding']));
    response.writeHead(status, { 'content-type': type, ...extra, ...(compress ? { 'content-encoding': 'br' } : {}) });
    response.end(compress ? brotliCompressSync(body) : body);
  };
  const etag = '"page-1"';
  switch (url.pathname) {
    case '/':
    case '/bare/':
      if (request.headers['if-none-match'] === etag) return void response.writeHead(304, { etag }).end();
      return send(200, 'text/html; charset=utf-8', PAGE_HTML, { etag, 'cache-control': 'public, max-age=60' });
    case '/old':
      return void response.writeHead(301, { location: '/' }).end();
    case '/assets/entry-DIa_uwaX.js':
    case '/assets/entry-Uwx-uiRM.css': {
      const immutable = { etag: '"a-1"', 'cache-control': 'public, max-age=31536000, immutable' };
      if (request.headers['if-none-match'] === '"a-1"') return void response.writeHead(304, immutable).end();
      return send(200, url.pathname.endsWith('.js') ? 'text/javascript' : 'text/css', 'x'.repeat(2000), immutable);
    }
    case '/health':
    case '/ready':
      return send(200, 'application/json', '{"status":"ok"}');
    case '/api/posts':
      return send(200, 'application/json', '{"posts":[]}');
    default:
      return send(request.url?.includes('%') ? 400 : 404, 'text/html', '<h1>Not found</h1>');
  }
}

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer(site);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('composable-svelte-doctor', () => {
  it('passes a hardened site on loopback, HTTPS-only checks skipped, and prints a table', async () => {
    const { code, stdout } = await run(`${origin}/`, '--api', '/api/posts');
    expect(stdout, stdout).toMatch(/^OK: 0 failing/m);
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/^STATUS {2}CHECK +DETAIL$/m);
    expect(stdout).toMatch(/^SKIP {4}https\.hsts +skipped: not HTTPS$/m);
    expect(stdout).toMatch(/^PASS {4}trace-refused +TRACE answered 405$/m);
    expect(stdout).toMatch(/^PASS {4}cache\.asset-304 +\/assets\/entry-DIa_uwaX\.js with If-None-Match → 304$/m);
    expect(stdout).toMatch(/^PASS {4}request-id +x-request-id echoed: doctor-/m);
  });

  it('prints JSON with --json and exits 1 naming what the bare site lacks', async () => {
    const { code, stdout } = await run(`${origin}/bare/`, '--json');
    expect(code).toBe(EXIT_CHECKS_FAILED);
    const report = JSON.parse(stdout) as AuditReport;
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
    expect(failed).toEqual(
      expect.arrayContaining(['grade.page', 'csp.enforced', 'headers.security', 'compression.html']),
    );
    expect(report.checks.find((c) => c.id === 'csp.enforced')?.detail).toBe('missing Content-Security-Policy');
  });

  it('follows the target’s own redirects to the page', async () => {
    const { stdout } = await run(`${origin}/old`, '--json');
    expect((JSON.parse(stdout) as AuditReport).target).toBe(`${origin}/`);
  });

  it('fails --require-https on plain HTTP', async () => {
    const { code, stdout } = await run(`${origin}/`, '--require-https');
    expect(code).toBe(EXIT_CHECKS_FAILED);
    expect(stdout).toMatch(/^FAIL {4}https\.hsts +served over plain HTTP/m);
  });

  it('checks a given --http-port for a redirect to HTTPS', async () => {
    const port = new URL(origin).port;
    const { stdout } = await run(`${origin}/`, '--http-port', port);
    // This site answers plain HTTP on that port with the page itself: no redirect.
    expect(stdout).toMatch(
      /^FAIL {4}https\.redirect +http:\/\/127\.0\.0\.1:\d+\/ answered 200 without redirecting to HTTPS$/m,
    );
  });

  it('exits 2 with the reason when the URL cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { code, stderr } = await run(`http://127.0.0.1:${port}/`);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/: ECONNREFUSED/);
  });

  it.each([
    [[], 'missing the URL to audit'],
    [['ftp://example.com/'], 'not an http(s) URL'],
    [['not a url'], 'not a URL'],
    [['http://x/', '--min-grade', 'Z'], '--min-grade must be one of A+ A A- B+'],
    [['http://x/', '--http-port', '99999'], '--http-port must be an integer from 1 to 65535'],
    [['http://x/', '--api', 'api/posts'], '--api must be a path starting with /'],
    [['http://x/', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('exits 2 on bad arguments: %j', async (argv, message) => {
    const { code, stderr } = await run(...argv);
    expect(code).toBe(EXIT_USAGE);
    expect(stderr).toContain(message);
  });

  it('prints usage with --help', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(EXIT_OK);
    expect(stdout).toMatch(/^Usage: composable-svelte-doctor <url>/);
  });
});
