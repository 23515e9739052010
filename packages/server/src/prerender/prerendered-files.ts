import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { STATE_ELEMENT_ID } from '@composable-svelte/core/ssr';
import type { PageEntry } from '../cache/page-entry.js';
import { strongEtag } from '../http/representation.js';

/** Where a prerendered page's files are, relative to the output directory. */
export const PAGES_DIR = 'pages';
export const MANIFEST_FILE = 'manifest.json';

/** The index of a prerender output directory (`manifest.json`), read once when the server starts. */
export interface PrerenderManifest {
  readonly version: 1;
  /** HTTP date of the build: every page's Last-Modified. */
  readonly builtAt: string;
  /** The PUBLIC_URL the pages were rendered for (absolute links and state may carry it). */
  readonly publicUrl: string;
  /** The client entry the pages load: pages of another client build would load missing files. */
  readonly clientScript: string;
  readonly pages: readonly { readonly key: string; readonly path: string; readonly file: string }[];
}

/** A page the prerender step rendered, to be written. */
export interface PageToWrite {
  /** Its page-cache key (`GET /about`), which the server looks requests up by. */
  readonly key: string;
  /** Its canonical path, `/about`. */
  readonly path: string;
  readonly html: string;
}

/**
 * The file of a path as static hosts look it up: `/` is `index.html`, `/docs/intro` is
 * `docs/intro.html`. Segments are decoded (`/a%20b` is `a b.html`); a decoded segment that could
 * leave the directory is refused, though the route table never produces one.
 */
export function fileForPath(path: string): string {
  if (path === '/') return 'index.html';
  const segments = path
    .slice(1)
    .split('/')
    .map((segment) => decodeURIComponent(segment));
  if (segments.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)))
    throw new Error(`No file can hold the page at ${JSON.stringify(path)}`);
  return `${segments.join('/')}.html`;
}

/** The JSON data block of a document: the state the page hydrates from, byte for byte. */
export function stateOf(html: string): string {
  const open = `<script type="application/json" id="${STATE_ELEMENT_ID}">`;
  const start = html.indexOf(open);
  // The serialized state escapes "<", so the first "</script>" after it ends the block.
  const end = start === -1 ? -1 : html.indexOf('</script>', start);
  if (end === -1) throw new Error('The page has no state block');
  return html.slice(start + open.length, end);
}

/**
 * Replaces the output directory with the pages: each as HTML, its .br and .gz (compressed once,
 * at the highest levels, as the build does for assets) and its state as JSON, plus the manifest.
 */
export function writePrerenderedPages(
  dir: string,
  build: { readonly publicUrl: string; readonly clientScript: string; readonly pages: readonly PageToWrite[] },
  now: Date = new Date(),
): PrerenderManifest {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, PAGES_DIR), { recursive: true });
  const pages = build.pages.map(({ key, path, html }) => {
    const file = fileForPath(path);
    const target = join(dir, PAGES_DIR, file);
    mkdirSync(dirname(target), { recursive: true });
    const body = Buffer.from(html, 'utf8');
    writeFileSync(target, body);
    writeFileSync(
      `${target}.br`,
      brotliCompressSync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
      }),
    );
    writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(target.replace(/\.html$/, '.state.json'), stateOf(html));
    return { key, path, file };
  });
  const manifest: PrerenderManifest = {
    version: 1,
    builtAt: now.toUTCString(),
    publicUrl: build.publicUrl,
    clientScript: build.clientScript,
    pages,
  };
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The prerendered pages a server serves, by page-cache key. */
export type PrerenderedPages = ReadonlyMap<string, PageEntry>;

export type LoadedPages =
  | { readonly ok: true; readonly pages: PrerenderedPages }
  /** Built for another client build or PUBLIC_URL: serving them would load missing files or wrong links. */
  | { readonly ok: false; readonly problem: string };

/**
 * Reads a prerender output directory into memory, once, at start-up: requests are then answered
 * from this index with no file system access. No directory (or no manifest) is no pages.
 */
export function loadPrerenderedPages(
  dir: string,
  server: { readonly publicUrl: string; readonly clientScript: string },
): LoadedPages {
  const manifestPath = join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return { ok: true, pages: new Map() };
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as PrerenderManifest;
  const built = `built for client entry ${manifest.clientScript} at ${manifest.publicUrl}`;
  const running = `this server has ${server.clientScript} at ${server.publicUrl}`;
  if (manifest.clientScript !== server.clientScript || manifest.publicUrl !== server.publicUrl)
    return { ok: false, problem: `The prerendered pages in ${dir} were ${built}; ${running}` };
  const createdAt = Date.parse(manifest.builtAt);
  const pages = new Map<string, PageEntry>();
  for (const { key, file } of manifest.pages) {
    const path = join(dir, PAGES_DIR, file);
    const body = readFileSync(path);
    pages.set(key, {
      body,
      br: readFileSync(`${path}.br`),
      gzip: readFileSync(`${path}.gz`),
      // The same validator a dynamic render of these bytes gets.
      etag: strongEtag(body),
      lastModified: manifest.builtAt,
      createdAt,
      // Until the next build: nothing at runtime invalidates a prerendered page.
      freshUntil: Number.POSITIVE_INFINITY,
      staleUntil: Number.POSITIVE_INFINITY,
      tags: [],
    });
  }
  return { ok: true, pages };
}
