import { randomUUID } from 'node:crypto';
import { OBSERVATORY_ORIGIN } from '../observatory/expectations.js';
import { pageAssets } from '../observatory/html.js';
import type { AssetEvidence, Evidence, HttpRedirectEvidence } from './evidence.js';
import { fetchObserved, traceObserved } from './fetch-observed.js';
import { answered, header, type ObservedResponse } from './observed.js';

export interface CollectOptions {
  /** A plain-HTTP port on the same host whose redirect to HTTPS is checked. */
  readonly httpPort?: number;
  /** A plain-HTTP URL whose redirect to HTTPS is checked. */
  readonly httpUrl?: string;
  /** A JSON API path to grade, e.g. /api/posts. */
  readonly apiPath?: string;
  /** More pages to audit besides the target (cookies, grades). */
  readonly paths?: readonly string[];
  readonly healthPath?: string;
  readonly readyPath?: string;
  readonly metricsPath?: string;
  /** Per request; 10 s by default. */
  readonly timeoutMs?: number;
}

/** The target cannot be audited at all (unreachable, or a bad URL). */
export class AuditError extends Error {
  override readonly name = 'AuditError';
}

/** Assets fetched from the page, at most: enough to judge caching and source maps, not a crawl. */
const MAX_ASSETS = 8;
const MAX_PAGE_REDIRECTS = 5;

function parseTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new AuditError(`not a URL: ${JSON.stringify(url)} (expected e.g. https://example.com/)`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AuditError(`not an http(s) URL: ${url}`);
  }
  return target;
}

/** Asked for again with the validator it came with; undefined when it had none. */
async function revalidate(
  response: ObservedResponse,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<ObservedResponse | undefined> {
  const etag = header(response, 'etag');
  const lastModified = header(response, 'last-modified');
  if (etag === undefined && lastModified === undefined) return undefined;
  const validator: Record<string, string> =
    etag !== undefined ? { 'if-none-match': etag } : { 'if-modified-since': lastModified! };
  // What a browser sends when it revalidates. Without a Cache-Control of its own, fetch adds
  // `no-cache` to conditional requests, and some servers (send, behind @fastify/static) then
  // answer 200 however fresh the copy is.
  return fetchObserved(response.url, { ...headers, ...validator, 'cache-control': 'max-age=0' }, timeoutMs);
}

function sourceMapUrl(script: URL): string {
  const map = new URL(script);
  map.pathname += '.map';
  map.search = '';
  return map.href;
}

/** Follows the target's own redirects (to a canonical host or to HTTPS) to the page itself. */
async function fetchPage(
  start: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ page: ObservedResponse; firstHop?: ObservedResponse }> {
  let url = start.href;
  let firstHop: ObservedResponse | undefined;
  for (let hop = 0; ; hop++) {
    const response = await fetchObserved(url, headers, timeoutMs);
    if (!answered(response)) throw new AuditError(`cannot reach ${url}: ${response.error}`);
    const location = header(response, 'location');
    if (response.status < 300 || response.status >= 400 || location === undefined) return { page: response, firstHop };
    if (hop === MAX_PAGE_REDIRECTS)
      throw new AuditError(`more than ${MAX_PAGE_REDIRECTS} redirects from ${start.href}`);
    firstHop ??= response;
    url = new URL(location, url).href;
  }
}

export async function collectEvidence(url: string, options: CollectOptions = {}): Promise<Evidence> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const start = parseTarget(url);
  const sentRequestId = `doctor-${randomUUID()}`;
  const html = { accept: 'text/html,application/xhtml+xml' };
  const { page, firstHop } = await fetchPage(
    start,
    { ...html, origin: OBSERVATORY_ORIGIN, 'x-request-id': sentRequestId },
    timeoutMs,
  );
  const target = new URL(page.url);
  const at = (path: string) => new URL(path, target.origin).href;
  const get = (path: string, headers: Record<string, string> = html) => fetchObserved(at(path), headers, timeoutMs);

  const assets: AssetEvidence[] = [];
  const found = pageAssets(page.body, target);
  const wanted = [
    ...found.scripts.map((u) => ({ kind: 'script' as const, url: u })),
    ...found.stylesheets.map((u) => ({ kind: 'stylesheet' as const, url: u })),
  ].slice(0, MAX_ASSETS);
  for (const { kind, url: assetUrl } of wanted) {
    const response = await fetchObserved(assetUrl.href, { accept: '*/*' }, timeoutMs);
    const revalidated = await revalidate(response, { accept: '*/*' }, timeoutMs);
    const sourceMap = kind === 'script' ? await fetchObserved(sourceMapUrl(assetUrl), {}, timeoutMs) : undefined;
    assets.push({ kind, response, ...(revalidated ? { revalidated } : {}), ...(sourceMap ? { sourceMap } : {}) });
  }

  const missing = `/__doctor-not-found-${randomUUID()}`;
  const traceMarker = `doctor-trace-${randomUUID()}`;
  const [pageRevalidated, extraPages, notFound, notFoundJson, badRequest, api, health, ready, metrics, trace] =
    await Promise.all([
      revalidate(page, html, timeoutMs),
      Promise.all((options.paths ?? []).map((path) => get(path))),
      get(missing),
      get(missing, { accept: 'application/json' }),
      // A percent sign that starts no escape: every server must refuse this URL.
      get('/%E0%A4%A'),
      options.apiPath === undefined ? undefined : get(options.apiPath, { accept: 'application/json' }),
      get(options.healthPath ?? '/health', { accept: 'application/json' }),
      get(options.readyPath ?? '/ready', { accept: 'application/json' }),
      get(options.metricsPath ?? '/metrics', { accept: 'text/plain' }),
      traceObserved(at('/'), { 'x-doctor-trace': traceMarker }, timeoutMs),
    ]);

  const httpRedirect = await observeHttpRedirect(start, target, firstHop, options, timeoutMs);
  return {
    target,
    page,
    ...(pageRevalidated ? { pageRevalidated } : {}),
    sentRequestId,
    extraPages,
    notFound,
    notFoundJson,
    badRequest,
    ...(api ? { api } : {}),
    assets,
    health,
    ready,
    metrics,
    trace,
    traceMarker,
    ...(httpRedirect ? { httpRedirect } : {}),
  };
}

async function observeHttpRedirect(
  start: URL,
  target: URL,
  firstHop: ObservedResponse | undefined,
  options: CollectOptions,
  timeoutMs: number,
): Promise<HttpRedirectEvidence | undefined> {
  const path = target.pathname + target.search;
  if (options.httpUrl !== undefined) {
    const from = parseTarget(options.httpUrl).href;
    return { from, explicit: true, response: await fetchObserved(from, {}, timeoutMs) };
  }
  if (options.httpPort !== undefined) {
    const from = `http://${target.hostname}:${options.httpPort}${path}`;
    return { from, explicit: true, response: await fetchObserved(from, {}, timeoutMs) };
  }
  // Given an http:// URL that led to https://, that first hop is the redirect.
  if (start.protocol === 'http:' && target.protocol === 'https:' && firstHop)
    return { from: start.href, explicit: true, response: firstHop };
  if (target.protocol !== 'https:') return undefined;
  const from = `http://${target.hostname}${path}`;
  // Port 80 is often simply closed (or dropped by a firewall): that is an answer, not an error.
  return { from, explicit: false, response: await fetchObserved(from, {}, Math.min(timeoutMs, 5000)) };
}
