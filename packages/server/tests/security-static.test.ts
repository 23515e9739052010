import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { fixtureClientDir } from './fixtures/app.js';
import { rawGet, type RawResponse } from './support/security-raw-http.js';
import { closeServers, listen, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const ASSETS: Record<string, RegExp> = {
  'entry-abc123.js': /javascript/,
  'shared-def456.js': /javascript/,
  'entry-abc123.css': /text\/css/,
  'shared-def456.css': /text\/css/,
};

/** Text of every file that must never be served: its appearance in any response is a leak. */
const SECRETS = {
  dotfileOutsideAssets: 'do not serve', // fixture: <clientDir>/.secret
  manifest: 'isEntry', // fixture: <clientDir>/.vite/manifest.json
  dotfileInAssets: 'ENV-SECRET-IN-ASSETS',
  symlinkTarget: 'OUTSIDE-THE-BUILD',
  passwd: 'root:x:0:0',
};

function expectNoLeak(response: { body: string }, label: string): void {
  for (const [name, secret] of Object.entries(SECRETS))
    expect(response.body, `${label} leaked ${name}`).not.toContain(secret);
}

/**
 * Traversal and smuggling probes. Sent on a raw socket: inject (like fetch) would resolve the dot
 * segments and backslashes before the server ever saw them.
 */
const PROBES = [
  '/assets/..',
  '/assets/../.secret',
  '/assets/../.vite/manifest.json',
  '/assets/%2e%2e/.secret',
  '/assets/%2E%2E/.secret',
  '/assets/.%2e/.secret',
  '/assets/%2e./.secret',
  '/assets/..%2f.secret',
  '/assets/..%2F.vite%2Fmanifest.json',
  '/assets/%2f..%2f.secret',
  '/assets/..%5c.secret',
  '/assets/%5c..%5c.secret',
  '/assets/%5C..%5C.vite%5Cmanifest.json',
  '/assets/..\\.secret',
  '/assets/\\..\\.secret',
  '/assets/..\\..\\.secret',
  '/assets/entry-abc123.js%00',
  '/assets/entry-abc123.js%00.png',
  '/assets/%00/../.secret',
  '/assets/%252e%252e/.secret',
  '/assets/%252e%252e%252f.secret',
  '/assets/%25252e%25252e/.secret',
  '/assets/....//.secret',
  '/assets/....//....//.secret',
  '/assets/...//.secret',
  '/assets/..;/.secret',
  '/assets/./../.secret',
  '/assets/entry-abc123.js/../../.secret',
  '/assets/../../../../../../../etc/passwd',
  '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/assets//etc/passwd',
  '/assets/%c0%ae%c0%ae/.secret',
  '/assets/%e0%80%ae%e0%80%ae/.secret',
  '/assets/%u002e%u002e/.secret',
  '/assets/.env',
  '/assets/.env%00.js',
  '/assets/%2eenv',
  '/assets/.vite/manifest.json',
  '/assets/link-out.js',
  '/assets/link-dir/outside.txt',
  '/assets/link-dir/',
  '/assets/link-dir',
];

describe('static assets', () => {
  let server: ComposableServer;
  let port: number;
  let clientDir: string;

  beforeAll(async () => {
    clientDir = fixtureClientDir();
    const assets = join(clientDir, 'assets');
    writeFileSync(join(assets, '.env'), `TOKEN=${SECRETS.dotfileInAssets}\n`);
    // Outside the build: a file and a directory, each reachable through a symlink inside assets/.
    const outside = mkdtempSync(join(tmpdir(), 'cs-outside-'));
    writeFileSync(join(outside, 'outside.txt'), SECRETS.symlinkTarget);
    mkdirSync(join(outside, 'dir'));
    writeFileSync(join(outside, 'dir', 'outside.txt'), SECRETS.symlinkTarget);
    symlinkSync(join(outside, 'outside.txt'), join(assets, 'link-out.js'));
    symlinkSync(join(outside, 'dir'), join(assets, 'link-dir'));
    server = (await startServer({ RATE_LIMIT_MAX: '1000000' }, { clientDir, lifetime: 'file' })).server;
    port = await listen(server);
  });

  it('the symlinks really point at readable files (so refusing them is the server’s doing)', () => {
    expect(readFileSync(join(clientDir, 'assets', 'link-out.js'), 'utf8')).toBe(SECRETS.symlinkTarget);
    expect(readFileSync(join(clientDir, 'assets', 'link-dir', 'outside.txt'), 'utf8')).toBe(SECRETS.symlinkTarget);
    expect(readFileSync(join(clientDir, 'assets', '.env'), 'utf8')).toContain(SECRETS.dotfileInAssets);
  });

  it.each(PROBES)('refuses %s on the wire (400/403/404, no file content)', async (target) => {
    const response = await rawGet(port, target);
    // 400: refused as malformed; 404: no such asset; 403: @fastify/static's own refusal (e.g. "//").
    expect([400, 403, 404], `${target} → ${response.status}`).toContain(response.status);
    expectNoLeak(response, target);
  });

  it.each(PROBES)('leaks nothing for %s through inject either', async (url) => {
    // inject resolves dot segments first, so /assets/.. may arrive as / (the home page): only the
    // absence of file content and of server errors holds for every probe here.
    const response = await server.inject(url);
    expect(response.statusCode, url).toBeLessThan(500);
    expectNoLeak(response, url);
  });

  it('property: no combination of traversal pieces under /assets/ reaches anything but a real asset', async () => {
    const assetBodies = new Set(
      Object.keys(ASSETS).map((name) => readFileSync(join(clientDir, 'assets', name), 'utf8')),
    );
    const piece = fc.constantFrom(
      '..',
      '.',
      '...',
      '....',
      '%2e%2e',
      '%2E%2E',
      '.%2e',
      '%2e.',
      '%252e%252e',
      '%c0%ae',
      '..%2f',
      '..%5c',
      '%2f',
      '%5c',
      '%00',
      '%20',
      '.env',
      '.secret',
      '.vite',
      'manifest.json',
      'etc',
      'passwd',
      'link-out.js',
      'link-dir',
      'outside.txt',
      'entry-abc123.js',
      'assets',
      '',
    );
    const separator = fc.constantFrom('/', '/', '\\', '//', '%2f', '%5c', ';/');
    const path = fc.array(fc.tuple(piece, separator), { minLength: 1, maxLength: 6 }).map((parts) =>
      parts
        .map(([p, s]) => p + s)
        .join('')
        .slice(0, -1),
    );
    await fc.assert(
      fc.asyncProperty(path, async (tail) => {
        const target = `/assets/${tail}`;
        const response: RawResponse = await rawGet(port, target);
        expect(response.status, target).toBeLessThan(500);
        expectNoLeak(response, target);
        if (response.status === 200)
          expect(assetBodies.has(response.body), `${target} served something other than an asset`).toBe(true);
      }),
      { numRuns: 250 },
    );
  });

  it('valid assets are served with their type and immutable caching, on the wire and via inject', async () => {
    for (const [name, type] of Object.entries(ASSETS)) {
      const expected = readFileSync(join(clientDir, 'assets', name), 'utf8');
      const raw = await rawGet(port, `/assets/${name}`);
      const injected = await server.inject(`/assets/${name}`);
      for (const [label, status, headers, body] of [
        ['raw', raw.status, raw.headers, raw.body],
        ['inject', injected.statusCode, injected.headers as Record<string, string>, injected.body],
      ] as const) {
        expect(status, `${label} ${name}`).toBe(200);
        expect(headers['cache-control'], `${label} ${name}`).toBe('public, max-age=31536000, immutable');
        expect(headers['content-type'], `${label} ${name}`).toMatch(type);
        expect(headers['x-content-type-options'], `${label} ${name}`).toBe('nosniff');
        expect(body, `${label} ${name}`).toBe(expected);
      }
    }
  });

  it('a missing asset is a plain 404, not the app page and never cached as immutable', async () => {
    const response = await server.inject('/assets/missing-0000.js');
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
  });

  it('directory listings and index files are off', async () => {
    expect((await rawGet(port, '/assets/')).status).toBe(404);
    for (const target of ['/assets/', '/assets', '/assets/link-dir/']) {
      const response = await rawGet(port, target);
      // /assets/ is refused; /assets is an ordinary page path. Neither lists the directory, which
      // would name files no page links to.
      expect(response.body, target).not.toContain('link-out.js');
      expect(response.body, target).not.toContain('.env');
    }
  });
});
