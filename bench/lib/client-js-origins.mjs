import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// Svelte's own dependency (svelte needs it to compile), so it is always installed next to it.
import { decode } from '@jridgewell/sourcemap-codec';
import { run } from './build.mjs';
import { BLOG, CACHE } from './paths.mjs';

/** A second build of the blog's client, with hidden source maps: the served files' bytes, mapped. */
export const CLIENT_SOURCEMAPS = join(CACHE, 'client-sourcemaps');
const SERVED = join(BLOG, 'dist', 'client');
const manifestOf = (dir) => join(dir, '.vite', 'manifest.json');

/** Where a byte of the client's JavaScript comes from. */
export const ORIGINS = ['svelte', 'core', 'app', 'other', 'unmapped'];
export const ORIGIN_LABELS = {
  svelte: 'Svelte runtime',
  core: '@composable-svelte/core',
  app: 'app',
  other: 'other packages',
  unmapped: 'bundler glue',
};

/** Svelte's runtime and the packages it ships into the browser with it. */
const SVELTE = /\/node_modules\/(svelte|clsx|esm-env|devalue)\//;

function originOf(source) {
  const path = `/${source.replace(/\\/g, '/')}`;
  if (SVELTE.test(path)) return 'svelte';
  if (/\/packages\/core\/|\/node_modules\/@composable-svelte\/core\//.test(path)) return 'core';
  if (path.includes('/node_modules/')) return 'other';
  return 'app';
}

/**
 * Builds the blog's client again into bench/.cache with `--sourcemap hidden` (the same files,
 * byte for byte, plus .map files beside them), unless the copy there was built from the same
 * manifest as the served build.
 */
async function ensureSourceMaps(log) {
  const served = readFileSync(manifestOf(SERVED), 'utf8');
  if (existsSync(manifestOf(CLIENT_SOURCEMAPS)) && readFileSync(manifestOf(CLIENT_SOURCEMAPS), 'utf8') === served) {
    return;
  }
  log('client JS: building the blog client again with source maps (bench/.cache/client-sourcemaps)…');
  const vite = join(dirname(createRequire(join(BLOG, 'package.json')).resolve('vite/package.json')), 'bin', 'vite.js');
  const args = ['build', '--sourcemap', 'hidden', '--outDir', CLIENT_SOURCEMAPS, '--emptyOutDir', '--logLevel', 'warn'];
  await run(process.execPath, [vite, ...args], { cwd: BLOG, timeoutMs: 180_000 });
}

/**
 * Bytes of one built file by origin. Each byte belongs to the mapping segment it follows on its
 * line, and that segment's source file decides the origin. Bytes that no segment with a source
 * covers are the bundler's (imports and exports between chunks, Vite's preload helper), except
 * where a compiled `.svelte` module's code follows them: Svelte hoists a component's HTML templates
 * above its code without mappings, so those count for that component.
 */
function bytesByOrigin(code, map) {
  const origins = map.sources.map(originOf);
  const components = map.sources.map((source) => /\.svelte(\?|$)/.test(source));
  const decoded = decode(map.mappings);
  const bytes = Object.fromEntries(ORIGINS.map((o) => [o, 0]));
  const lines = code.split('\n');
  lines.forEach((line, i) => {
    let column = 0;
    let origin = 'unmapped';
    for (const segment of decoded[i] ?? []) {
      const length = Buffer.byteLength(line.slice(column, segment[0]));
      const next = segment.length > 1 ? segment[1] : null;
      bytes[origin === 'unmapped' && next !== null && components[next] ? origins[next] : origin] += length;
      column = segment[0];
      origin = next === null ? 'unmapped' : origins[next];
    }
    bytes[origin] += Buffer.byteLength(line.slice(column)) + (i < lines.length - 1 ? 1 : 0);
  });
  return bytes;
}

/**
 * Splits the start-up JavaScript (`files`: pageWeight's list, `{ path, raw, gzip }`) by origin:
 * raw bytes from the source maps, and each file's gzip size shared out in proportion to its raw
 * bytes (gzip does not compress every part of a file equally, so the gzip split is an estimate;
 * the totals are exact). Returns `{ raw, gzip }` per origin, and `problems` for files that could
 * not be mapped (counted as `unmapped`).
 */
export async function clientJsOrigins(files, log) {
  await ensureSourceMaps(log);
  const raw = Object.fromEntries(ORIGINS.map((o) => [o, 0]));
  const gzip = Object.fromEntries(ORIGINS.map((o) => [o, 0]));
  const problems = [];
  for (const file of files) {
    const built = join(CLIENT_SOURCEMAPS, file.path);
    const served = join(SERVED, file.path);
    let split;
    if (!existsSync(`${built}.map`) || !existsSync(served)) {
      problems.push(`client JS split: no source map for ${file.path}`);
    } else if (!readFileSync(built).equals(readFileSync(served))) {
      problems.push(`client JS split: ${file.path} differs between the served build and the source-mapped one`);
    } else {
      split = bytesByOrigin(readFileSync(served, 'utf8'), JSON.parse(readFileSync(`${built}.map`, 'utf8')));
    }
    split ??= { ...Object.fromEntries(ORIGINS.map((o) => [o, 0])), unmapped: file.raw };
    for (const origin of ORIGINS) {
      raw[origin] += split[origin];
      gzip[origin] += file.raw === 0 ? 0 : (file.gzip * split[origin]) / file.raw;
    }
  }
  for (const origin of ORIGINS) gzip[origin] = Math.round(gzip[origin]);
  return { raw, gzip, problems };
}
