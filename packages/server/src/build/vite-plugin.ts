import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { serverBundledPackages } from './server-dependencies.js';

export { serverBundledPackages, SERVER_EXTERNAL_PACKAGES } from './server-dependencies.js';

/** The parts of Vite's plugin API this plugin uses; typed here so the server needs no Vite dependency. */
interface VitePluginLike {
  name: string;
  apply: 'build';
  enforce: 'post';
  config(config: unknown, env: { isSsrBuild?: boolean }): { ssr: { noExternal: string[] } } | undefined;
  configResolved(config: { root: string; build: { outDir: string; ssr: unknown } }): void;
  buildStart(): void;
  generateBundle(options: unknown, bundle: Record<string, BundleItem>): void;
  closeBundle(): void;
}

interface BundleItem {
  type: 'chunk' | 'asset';
  fileName: string;
  isEntry?: boolean;
  modules?: Record<string, { renderedLength: number }>;
}

export interface BuildPluginOptions {
  /** Write .br and .gz next to each compressible asset (served by the static plugin). Default true. */
  readonly precompress?: boolean;
  /** Files smaller than this are not worth precompressing. Default 1024. */
  readonly minBytes?: number;
  /** Print the bundle report after the client build. Default true. */
  readonly printReport?: boolean;
}

const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|xml|map)$/;

export interface BundleReport {
  readonly files: readonly { file: string; bytes: number; gzip: number; brotli: number }[];
  /** JS bytes by origin: the app's own code, this framework, Svelte's runtime, other packages. */
  readonly jsByOrigin: Readonly<Record<'app' | 'framework' | 'svelte' | 'other', number>>;
  readonly totals: { readonly js: number; readonly jsGzip: number; readonly css: number; readonly cssGzip: number };
}

function originOf(moduleId: string): 'app' | 'framework' | 'svelte' | 'other' {
  const id = moduleId.replace(/\\/g, '/');
  if (/\/packages\/core\/|@composable-svelte\//.test(id)) return 'framework';
  if (/node_modules\/(svelte|esm-env|clsx)\//.test(id) || id.includes('\0svelte')) return 'svelte';
  if (id.includes('node_modules/')) return 'other';
  return 'app';
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Build-time work. The server build bundles this package's dependencies (serverBundledPackages:
 * start-up time). For the client bundle: precompressed .br/.gz variants (so hashed assets are never
 * compressed per request) and a report of what the JavaScript is made of, written to
 * `.vite/bundle-report.json` and printed.
 */
export function composableSvelteBuild(options: BuildPluginOptions = {}): VitePluginLike {
  const minBytes = options.minBytes ?? 1024;
  let outDir = '';
  let ssr = false;
  const jsByOrigin = { app: 0, framework: 0, svelte: 0, other: 0 };
  // Each build reports its own bundle (watch mode and repeated builds reuse this instance).
  const resetOrigins = () => {
    jsByOrigin.app = jsByOrigin.framework = jsByOrigin.svelte = jsByOrigin.other = 0;
  };
  return {
    name: 'composable-svelte:build',
    apply: 'build',
    enforce: 'post',
    config(_config, env) {
      return env.isSsrBuild ? { ssr: { noExternal: serverBundledPackages() } } : undefined;
    },
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      ssr = Boolean(config.build.ssr);
      resetOrigins();
    },
    buildStart() {
      resetOrigins();
    },
    generateBundle(_options, bundle) {
      if (ssr) return;
      for (const item of Object.values(bundle)) {
        if (item.type !== 'chunk') continue;
        for (const [id, info] of Object.entries(item.modules ?? {})) jsByOrigin[originOf(id)] += info.renderedLength;
      }
    },
    closeBundle() {
      if (ssr) return;
      const files: { file: string; bytes: number; gzip: number; brotli: number }[] = [];
      for (const path of walk(outDir)) {
        if (!COMPRESSIBLE.test(path) || path.includes(`${join(outDir, '.vite')}`)) continue;
        const bytes = readFileSync(path);
        const gz = gzipSync(bytes, { level: 9 });
        const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
        files.push({ file: relative(outDir, path), bytes: bytes.length, gzip: gz.length, brotli: br.length });
        if ((options.precompress ?? true) && bytes.length >= minBytes) {
          if (br.length < bytes.length) writeFileSync(`${path}.br`, br);
          if (gz.length < bytes.length) writeFileSync(`${path}.gz`, gz);
        }
      }
      const sum = (ext: string, key: 'bytes' | 'gzip') =>
        files.filter((f) => f.file.endsWith(ext)).reduce((n, f) => n + f[key], 0);
      const report: BundleReport = {
        files,
        jsByOrigin,
        totals: {
          js: sum('.js', 'bytes'),
          jsGzip: sum('.js', 'gzip'),
          css: sum('.css', 'bytes'),
          cssGzip: sum('.css', 'gzip'),
        },
      };
      mkdirSync(join(outDir, '.vite'), { recursive: true });
      writeFileSync(join(outDir, '.vite', 'bundle-report.json'), `${JSON.stringify(report, null, 2)}\n`);
      if (options.printReport ?? true) {
        const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
        const shares = Object.entries(jsByOrigin)
          .map(([origin, n]) => `${origin} ${kb(n)}`)
          .join(', ');
        // The build report is meant for the terminal running the build.
        // eslint-disable-next-line no-console
        console.log(
          `\n[composable-svelte] client JS ${kb(report.totals.js)} (gzip ${kb(report.totals.jsGzip)}); before minification: ${shares}`,
        );
      }
      resetOrigins();
    },
  };
}
