import type { FastifyInstance } from 'fastify';
import type { PageRouteDefinition } from '../app.js';
import { internalLinks } from './internal-links.js';
import { PrerenderError, type BrokenLink, type PrerenderProblem } from './prerender-errors.js';
import type { PageToWrite } from './prerendered-files.js';
import './prerender-target.js';

export interface PrerenderOptions {
  /** Follow the links of prerendered pages: prerender those of prerendered routes, check the others. Default true. */
  readonly crawl?: boolean;
  /** Paths to prerender besides each prerendered route's own pages (a page only a form leads to, say). */
  readonly entries?: readonly string[];
}

/** A page rendered for the build, with the headers its response carried (for a static host's rules). */
export interface PrerenderedPage extends PageToWrite {
  readonly headers: Readonly<Record<string, string>>;
}

export interface PrerenderResult {
  readonly pages: readonly PrerenderedPage[];
  /** Internal URLs the crawl found outside prerendered routes, each requested once: all answered. */
  readonly checkedLinks: readonly string[];
}

/** Headers that describe one response's bytes or connection, not the page: a static host sets its own. */
const PER_RESPONSE = new Set([
  'etag',
  'content-length',
  'content-type',
  'content-encoding',
  'last-modified',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'vary',
  'x-cache',
  'x-request-id',
  'server-timing',
  'traceparent',
  'tracestate',
  // The rate limiter's count of the build's own requests.
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'retry-after',
]);

/** A link whose target answers so is broken; a redirect, 401 or 403 (a page that needs sign-in) is not. */
const isBroken = (status: number) => status === 404 || status === 410 || status >= 500;

type Source = { readonly kind: 'entry'; readonly route?: string } | { readonly kind: 'link'; readonly from: string };

/**
 * Renders the app's prerendered routes through its own server, in-process: each page is a GET
 * injected into `server` (the same hooks, `load`, store, effects and renderer as a visitor's
 * request), rendered fresh, never taken from the page cache. A page is kept only when the page
 * cache would share it (200, no cookie, not private) and carries no cache tags (its data would be
 * invalidated at runtime, and a prerendered page never is). Any problem or broken internal link
 * throws a {@link PrerenderError} listing all of them. Create the server with rate limiting and load
 * shedding off, as the command does: the build's requests all come from one client.
 */
export async function prerenderSite(server: FastifyInstance, options: PrerenderOptions = {}): Promise<PrerenderResult> {
  const target = server.prerenderTarget;
  // A listening server could render a visitor's request while a page is being recorded.
  if (server.server.listening) throw new Error('prerenderSite: the server must not be listening');
  const { router } = target;
  const href = router.href;
  const table = router.table;
  if (!href || !table)
    throw new Error("prerenderSite: the app's router has no route table: build it with createRouter from core/routing");
  const site = new URL(server.config.publicUrl);

  const problems: PrerenderProblem[] = [];
  const pages = new Map<string, PrerenderedPage>();
  const queued = new Set<string>();
  const queue: { path: string; source: Source }[] = [];
  const referrers = new Map<string, Set<string>>();
  /** Routes with at least one page tried: one left untried has no entries and no links to it. */
  const attempted = new Set<string>();

  /** The canonical path of a prerendered route's page, or undefined for any other URL. */
  const prerenderedPath = (path: string): { path: string; route: string } | undefined => {
    const parsed = router.parse(path);
    if (!parsed.ok || table[parsed.destination.route]?.prerender !== true) return undefined;
    const canonical = href(parsed.destination);
    // A file answers a path; a query string would need the server to choose between pages.
    return canonical.includes('?') ? undefined : { path: canonical, route: parsed.destination.route };
  };
  const enqueue = (path: string, source: Source) => {
    if (source.kind === 'link') {
      const from = referrers.get(path) ?? new Set<string>();
      referrers.set(path, from.add(source.from));
    }
    if (queued.has(path)) return;
    queued.add(path);
    queue.push({ path, source });
  };

  for (const [route, definition] of Object.entries(table)) {
    if (definition.prerender !== true) continue;
    for (const path of await routePaths(route, definition, href, problems)) {
      const page = prerenderedPath(path);
      if (page) enqueue(page.path, { kind: 'entry', route });
      else problems.push({ path, reason: `entries() of route "${route}" gave a URL of no prerendered page` });
    }
  }
  for (const path of options.entries ?? []) {
    const page = prerenderedPath(path);
    if (page) enqueue(page.path, { kind: 'entry' });
    else problems.push({ path, reason: 'this entry is not a page of a route with prerender: true' });
  }

  const checks = new Set<string>();
  const broken = new Map<string, number>();
  while (queue.length > 0) {
    const { path, source } = queue.shift()!;
    const { result: response, captured } = await target.capture.during(() =>
      server.inject({ method: 'GET', url: path, headers: { accept: 'text/html', 'accept-encoding': 'identity' } }),
    );
    const status = captured?.page.status ?? response.statusCode;
    const parsed = router.parse(path);
    if (parsed.ok) attempted.add(parsed.destination.route);
    if (source.kind === 'link' && isBroken(status)) {
      broken.set(path, status);
      continue;
    }
    const reason = !captured
      ? `answered ${response.statusCode}${response.headers.location ? ` (to ${String(response.headers.location)})` : ''} before rendering: a redirect to sign in, a refusal, or another route's handler`
      : status !== 200
        ? `rendered with status ${status}`
        : !captured.page.cacheable
          ? 'is not the same for every visitor (it sets a cookie, calls csrfToken(), or is marked private): the page cache would not share it either'
          : captured.page.tags.length > 0
            ? `shows data that changes at runtime (cache tags ${captured.page.tags.join(', ')}): a prerendered page is never invalidated`
            : undefined;
    if (reason) {
      problems.push({ path, reason });
      continue;
    }
    const page = captured!.page;
    const headers = Object.fromEntries(
      Object.entries(response.headers)
        .filter(([name, value]) => !PER_RESPONSE.has(name) && value !== undefined)
        .map(([name, value]) => [name, [value].flat().join(', ')]),
    );
    pages.set(path, { key: captured!.key, path, html: page.html, headers });
    if (options.crawl === false) continue;
    for (const link of internalLinks(page.html, new URL(path, site))) {
      const linked = prerenderedPath(link);
      if (linked) enqueue(linked.path, { kind: 'link', from: path });
      else {
        const from = referrers.get(link) ?? new Set<string>();
        referrers.set(link, from.add(path));
        checks.add(link);
      }
    }
  }

  for (const path of checks) {
    const { result } = await target.capture.during(() =>
      server.inject({ method: 'GET', url: path, headers: { accept: 'text/html' } }),
    );
    if (isBroken(result.statusCode)) broken.set(path, result.statusCode);
  }
  const brokenLinks: BrokenLink[] = [...broken].map(([path, status]) => ({
    href: path,
    status,
    from: [...referrers.get(path)!],
  }));

  for (const [route, definition] of Object.entries(table)) {
    if (definition.prerender === true && !attempted.has(route) && Object.keys(definition.params).length > 0)
      problems.push({
        path: definition.path,
        reason: `route "${route}" is marked prerender but no page of it was found: give it entries(), or link to its pages from a prerendered page`,
      });
  }
  if (problems.length > 0 || brokenLinks.length > 0) throw new PrerenderError(problems, brokenLinks);
  return { pages: [...pages.values()], checkedLinks: [...checks] };
}

/** The URLs a prerendered route starts from: its one page, or one per entry. */
async function routePaths(
  route: string,
  definition: PageRouteDefinition,
  href: (destination: { route: string; params: object; query: object }) => string,
  problems: PrerenderProblem[],
): Promise<string[]> {
  const hasParams = Object.keys(definition.params).length > 0;
  if (hasParams && !definition.entries) return [];
  const paramsList = hasParams ? [...(await definition.entries!())] : [{}];
  const paths: string[] = [];
  for (const params of paramsList) {
    try {
      paths.push(href({ route, params, query: {} }));
    } catch (error) {
      problems.push({ path: definition.path, reason: (error as Error).message });
    }
  }
  return paths;
}
