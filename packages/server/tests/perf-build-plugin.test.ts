/**
 * The Vite build plugin, driven through its hooks the way Vite calls them: precompressed .br/.gz
 * next to the client assets that gain from it, and the bundle report.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { composableSvelteBuild, SERVER_EXTERNAL_PACKAGES, type BundleReport } from '../src/build/vite-plugin.js';
import { bigText } from './support/perf-server.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const OUT = 'dist/client';

/** A client build as Vite leaves it before closeBundle: files of every kind, and .vite/. */
function clientBuild(): { root: string; outDir: string; files: Record<string, Buffer> } {
  const root = mkdtempSync(join(tmpdir(), 'cs-perf-build-'));
  roots.push(root);
  const outDir = join(root, OUT);
  const files: Record<string, Buffer> = {
    'assets/entry-1a2b3c.js': Buffer.from(`const words = ${JSON.stringify(bigText(8, 1))};\nexport default words;\n`),
    'assets/lazy-4d5e6f.js': Buffer.from(`export const lazy = ${JSON.stringify(bigText(2, 2))};\n`),
    'assets/tiny-7a8b9c.js': Buffer.from('export const tiny = 1;\n'),
    // Random bytes do not compress: neither variant may be written.
    'assets/noise-0f0f0f.js': randomBytes(4096),
    // Compressible, but under the default 1024-byte threshold.
    'assets/mid-112233.css': Buffer.from('p { margin: 0 }\n'.repeat(40)),
    'assets/entry-1a2b3c.css': Buffer.from(
      `${'.card { margin: 0 auto; padding: 1rem 2rem; color: #333 }\n'.repeat(60)}`,
    ),
    'assets/logo-abcdef.svg': Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg">${'<circle r="1"/>'.repeat(200)}</svg>`,
    ),
    'assets/photo-123456.png': Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), Buffer.alloc(8192, 7)]),
    'assets/entry-1a2b3c.js.map': Buffer.from(JSON.stringify({ version: 3, mappings: 'AAAA;'.repeat(800) })),
    'assets/nested/chunk-aa11bb.js': Buffer.from(`export const nested = ${JSON.stringify(bigText(3, 3))};\n`),
    '.vite/manifest.json': Buffer.from(
      JSON.stringify({ 'src/entry.ts': { file: 'assets/entry-1a2b3c.js', isEntry: true, padding: 'x'.repeat(4000) } }),
    ),
  };
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), bytes);
  }
  return { root, outDir, files };
}

const svelteRuntime = '/home/dev/app/node_modules/svelte/src/internal/client/runtime.js';

/** What Rollup hands generateBundle: chunks with the modules rendered into them, and assets. */
function fakeBundle() {
  return {
    'assets/entry-1a2b3c.js': {
      type: 'chunk' as const,
      fileName: 'assets/entry-1a2b3c.js',
      isEntry: true,
      modules: {
        [svelteRuntime]: { renderedLength: 1000 },
        '/home/dev/app/node_modules/.pnpm/svelte@5.57.3/node_modules/svelte/src/index-client.js': {
          renderedLength: 50,
        },
        '\0svelte/internal/disclose-version': { renderedLength: 5 },
        'C:\\dev\\app\\node_modules\\svelte\\src\\store\\index.js': { renderedLength: 7 },
        '/home/dev/composable-svelte/packages/core/src/store/create-store.ts': { renderedLength: 300 },
        '/home/dev/app/node_modules/@composable-svelte/core/dist/effect/effect.js': { renderedLength: 200 },
        '/home/dev/app/src/shared/App.svelte': { renderedLength: 400 },
        '/home/dev/app/src/client/entry.ts': { renderedLength: 20 },
        '/home/dev/app/src/shared/svelte-helpers.ts': { renderedLength: 3 },
        '/home/dev/app/node_modules/devalue/src/parse.js': { renderedLength: 70 },
      },
    },
    'assets/lazy-4d5e6f.js': {
      type: 'chunk' as const,
      fileName: 'assets/lazy-4d5e6f.js',
      modules: { '/home/dev/app/src/shared/pages/Lazy.svelte': { renderedLength: 80 } },
    },
    'assets/entry-1a2b3c.css': { type: 'asset' as const, fileName: 'assets/entry-1a2b3c.css' },
  };
}

const EXPECTED_ORIGINS = { app: 400 + 20 + 3 + 80, framework: 300 + 200, svelte: 1000 + 50 + 5 + 7, other: 70 };

function runBuild(plugin: ReturnType<typeof composableSvelteBuild>, root: string, ssr: unknown = false) {
  plugin.configResolved({ root, build: { outDir: OUT, ssr } });
  plugin.generateBundle({}, fakeBundle());
  plugin.closeBundle();
}

const readReport = (outDir: string) =>
  JSON.parse(readFileSync(join(outDir, '.vite', 'bundle-report.json'), 'utf8')) as BundleReport;

describe('composableSvelteBuild', () => {
  it('is a post, build-only plugin', () => {
    const plugin = composableSvelteBuild();
    expect(plugin.apply).toBe('build');
    expect(plugin.enforce).toBe('post');
    expect(plugin.name).toMatch(/composable-svelte/);
  });

  it('writes .br and .gz only for compressible files of at least minBytes, only when smaller, never inside .vite/', () => {
    const { root, outDir, files } = clientBuild();
    vi.spyOn(console, 'log').mockImplementation(() => {});
    runBuild(composableSvelteBuild(), root);

    const compressible = /\.(js|css|svg|map)$/;
    for (const [name, bytes] of Object.entries(files)) {
      const path = join(outDir, name);
      const br = existsSync(`${path}.br`);
      const gz = existsSync(`${path}.gz`);
      const shouldTry = compressible.test(name) && !name.startsWith('.vite/') && bytes.length >= 1024;
      if (!shouldTry || name.includes('noise')) {
        expect(br, `${name}.br`).toBe(false);
        expect(gz, `${name}.gz`).toBe(false);
        continue;
      }
      expect(br, `${name}.br`).toBe(true);
      expect(gz, `${name}.gz`).toBe(true);
      const brBytes = readFileSync(`${path}.br`);
      const gzBytes = readFileSync(`${path}.gz`);
      expect(brBytes.length, name).toBeLessThan(bytes.length);
      expect(gzBytes.length, name).toBeLessThan(bytes.length);
      expect(brotliDecompressSync(brBytes).equals(bytes), name).toBe(true);
      expect(gunzipSync(gzBytes).equals(bytes), name).toBe(true);
    }
    // The ones the rules are about, named.
    expect(existsSync(join(outDir, 'assets/entry-1a2b3c.js.br'))).toBe(true);
    expect(existsSync(join(outDir, 'assets/nested/chunk-aa11bb.js.gz'))).toBe(true);
    expect(existsSync(join(outDir, 'assets/tiny-7a8b9c.js.br'))).toBe(false);
    expect(existsSync(join(outDir, 'assets/photo-123456.png.gz'))).toBe(false);
    expect(existsSync(join(outDir, '.vite/manifest.json.br'))).toBe(false);
    expect(existsSync(join(outDir, '.vite/manifest.json.gz'))).toBe(false);
    // The variants are not themselves compressed again, nor reported.
    expect(existsSync(join(outDir, 'assets/entry-1a2b3c.js.br.gz'))).toBe(false);
  });

  it("writes .vite/bundle-report.json with each file's raw and gzip size, totals, and JS by origin", () => {
    const { root, outDir, files } = clientBuild();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    runBuild(composableSvelteBuild(), root);
    const report = readReport(outDir);

    const reported = new Map(report.files.map((f) => [f.file.replace(/\\/g, '/'), f]));
    const expectedNames = Object.keys(files).filter(
      (name) => /\.(js|css|svg|map)$/.test(name) && !name.startsWith('.vite/'),
    );
    expect([...reported.keys()].sort()).toEqual(expectedNames.sort());
    for (const name of expectedNames) {
      const entry = reported.get(name)!;
      const path = join(outDir, name);
      expect(entry.bytes, name).toBe(statSync(path).size);
      if (existsSync(`${path}.gz`)) expect(entry.gzip, name).toBe(statSync(`${path}.gz`).size);
      else expect(entry.gzip, name).toBe(gzipSync(files[name]!, { level: 9 }).length);
      if (existsSync(`${path}.br`)) expect(entry.brotli, name).toBe(statSync(`${path}.br`).size);
      expect(entry.brotli, name).toBeGreaterThan(0);
    }

    const sum = (suffix: string, key: 'bytes' | 'gzip') =>
      expectedNames.filter((n) => n.endsWith(suffix)).reduce((total, n) => total + reported.get(n)![key], 0);
    expect(report.totals.js).toBe(sum('.js', 'bytes'));
    expect(report.totals.jsGzip).toBe(sum('.js', 'gzip'));
    expect(report.totals.css).toBe(sum('.css', 'bytes'));
    expect(report.totals.cssGzip).toBe(sum('.css', 'gzip'));
    expect(report.totals.js).toBe(
      [
        'assets/entry-1a2b3c.js',
        'assets/lazy-4d5e6f.js',
        'assets/tiny-7a8b9c.js',
        'assets/noise-0f0f0f.js',
        'assets/nested/chunk-aa11bb.js',
      ].reduce((total, n) => total + files[n]!.length, 0),
    );

    expect(report.jsByOrigin).toEqual(EXPECTED_ORIGINS);
    expect(log).toHaveBeenCalledTimes(1);
    expect(String(log.mock.calls[0]![0])).toContain('client JS');
  });

  it('options: precompress false writes no variants, minBytes moves the threshold, printReport false is quiet', () => {
    const off = clientBuild();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    runBuild(composableSvelteBuild({ precompress: false, printReport: false }), off.root);
    expect(existsSync(join(off.outDir, 'assets/entry-1a2b3c.js.br'))).toBe(false);
    expect(existsSync(join(off.outDir, 'assets/entry-1a2b3c.js.gz'))).toBe(false);
    expect(existsSync(join(off.outDir, '.vite/bundle-report.json'))).toBe(true);
    expect(log).not.toHaveBeenCalled();

    const low = clientBuild();
    expect(low.files['assets/mid-112233.css']!.length).toBeLessThan(1024);
    runBuild(composableSvelteBuild({ minBytes: 16, printReport: false }), low.root);
    expect(existsSync(join(low.outDir, 'assets/mid-112233.css.br'))).toBe(true);
    expect(existsSync(join(low.outDir, 'assets/mid-112233.css.gz'))).toBe(true);
    // 23 bytes of JS do not get smaller by compressing: still nothing is written for them.
    expect(existsSync(join(low.outDir, 'assets/tiny-7a8b9c.js.gz'))).toBe(false);

    const high = clientBuild();
    runBuild(composableSvelteBuild({ minBytes: 1_000_000, printReport: false }), high.root);
    expect(existsSync(join(high.outDir, 'assets/entry-1a2b3c.js.br'))).toBe(false);
    expect(existsSync(join(high.outDir, 'assets/entry-1a2b3c.js.gz'))).toBe(false);
    expect(readReport(high.outDir).files.length).toBeGreaterThan(0);
  });

  it('an SSR build does nothing: no variants, no report, no output', () => {
    const { root, outDir } = clientBuild();
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    runBuild(composableSvelteBuild(), root, 'src/server/entry.ts');
    expect(existsSync(join(outDir, 'assets/entry-1a2b3c.js.br'))).toBe(false);
    expect(existsSync(join(outDir, 'assets/entry-1a2b3c.js.gz'))).toBe(false);
    expect(existsSync(join(outDir, '.vite/bundle-report.json'))).toBe(false);
    expect(log).not.toHaveBeenCalled();

    // Even where a client build would fail (no .vite directory), an SSR build does not touch it.
    const bare = mkdtempSync(join(tmpdir(), 'cs-perf-build-ssr-'));
    roots.push(bare);
    mkdirSync(join(bare, OUT), { recursive: true });
    writeFileSync(join(bare, OUT, 'entry.js'), bigText(4));
    expect(() => runBuild(composableSvelteBuild(), bare, true)).not.toThrow();
    expect(existsSync(join(bare, OUT, 'entry.js.br'))).toBe(false);
  });

  it("the server build bundles this package's dependencies but the external ones; the client build keeps Vite's config", () => {
    const plugin = composableSvelteBuild();
    const config = plugin.config({}, { isSsrBuild: true });
    const bundled = config?.ssr.noExternal ?? [];
    // Direct dependencies and theirs (fastify's router, drizzle's and TypeBox's many files).
    for (const name of ['fastify', 'find-my-way', 'drizzle-orm', '@sinclair/typebox', '@fastify/static', 'prom-client'])
      expect(bundled).toContain(name);
    // Native addons, packages that read their own files, backends loaded when configured.
    for (const name of SERVER_EXTERNAL_PACKAGES) expect(bundled).not.toContain(name);
    // What only they depend on stays out too (pino's writer, pg's protocol).
    for (const name of ['sonic-boom', 'pg-protocol']) expect(bundled).not.toContain(name);
    expect(plugin.config({}, { isSsrBuild: false })).toBeUndefined();
    expect(plugin.config({}, {})).toBeUndefined();
  });

  it('each build reports its own JS by origin, not the total of every build of the plugin instance', () => {
    const { root, outDir } = clientBuild();
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const plugin = composableSvelteBuild();
    runBuild(plugin, root);
    expect(readReport(outDir).jsByOrigin).toEqual(EXPECTED_ORIGINS);
    runBuild(plugin, root);
    expect(readReport(outDir).jsByOrigin).toEqual(EXPECTED_ORIGINS);
  });
});
