import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { PrerenderTarget } from './prerender-target.js';
import type { PrerenderedPage } from './prerender-site.js';
import { PAGES_DIR } from './prerendered-files.js';

/**
 * What a static site would silently lose, one line each: routes rendered per request, and the
 * app's own route handlers (forms, JSON, feeds, sockets). Empty when the app can be exported.
 */
export function staticExportRefusals(target: PrerenderTarget): string[] {
  const routes = Object.entries(target.router.table ?? {})
    .filter(([, definition]) => definition.prerender !== true)
    .map(([name, definition]) => `route "${name}" (${definition.path}) is rendered per request (no prerender: true)`);
  const handlers = target.appRoutes.map((route) => `${route} is a handler of the app's own routes`);
  return [...routes, ...handlers];
}

/**
 * A directory any static host can serve: the client build (without Vite's manifest), every
 * prerendered page with its .br/.gz, and `_headers` (the Netlify / Cloudflare Pages format) giving
 * each page the headers the server sent with it, security headers and CSP included.
 */
export function writeStaticSite(
  dir: string,
  site: { readonly clientDir: string; readonly prerenderedDir: string; readonly pages: readonly PrerenderedPage[] },
): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const viteDir = join(site.clientDir, '.vite');
  cpSync(site.clientDir, dir, {
    recursive: true,
    filter: (source) => source !== viteDir && !source.startsWith(viteDir + sep),
  });
  cpSync(join(site.prerenderedDir, PAGES_DIR), dir, { recursive: true });
  const rules = site.pages.map(
    (page) =>
      `${page.path}\n${Object.entries(page.headers)
        .map(([name, value]) => `  ${name}: ${value}\n`)
        .join('')}`,
  );
  rules.push('/assets/*\n  cache-control: public, max-age=31536000, immutable\n');
  writeFileSync(join(dir, '_headers'), rules.join('\n'));
}
