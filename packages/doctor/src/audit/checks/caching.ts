import type { AssetEvidence, CheckResult, Evidence } from '../evidence.js';
import { answered, describeResponse, header, succeeded, type ObservedResponse } from '../observed.js';

/** One year: hashed names change with their bytes, so nothing is gained by asking again sooner. */
export const IMMUTABLE_MIN_MAX_AGE = 31_536_000;

/** A content hash in the file name, as bundlers write it: entry-DIa_uwaX.js, app.3f2a9c1b.css. */
export function isHashedAsset(url: string): boolean {
  const name = new URL(url).pathname.split('/').at(-1) ?? '';
  const hash = /[-.]([A-Za-z0-9_-]{8,})\.(?:m?js|css)$/.exec(name)?.[1];
  // A hash has digits or capitals; a plain word after a dash (my-component.js) is a name.
  return hash !== undefined && /[0-9A-Z]/.test(hash);
}

function cacheDirectives(response: ObservedResponse): Map<string, string> {
  const directives = new Map<string, string>();
  for (const part of (header(response, 'cache-control') ?? '').split(',')) {
    const [name = '', value = ''] = part.trim().split('=');
    if (name !== '') directives.set(name.toLowerCase(), value.replace(/^"|"$/g, ''));
  }
  return directives;
}

function checkHashedAssets(assets: readonly AssetEvidence[]): CheckResult {
  const id = 'cache.assets-immutable';
  const hashed = assets.filter((a) => isHashedAsset(a.response.url));
  if (hashed.length === 0) return { id, status: 'skip', detail: 'skipped: the page loads no hashed asset' };
  const problems = hashed.flatMap(({ response }) => {
    const path = new URL(response.url).pathname;
    if (!succeeded(response)) return [`${path}: ${describeResponse(response)}`];
    const directives = cacheDirectives(response);
    const maxAge = Number(directives.get('max-age') ?? '0');
    const missing = [
      !directives.has('immutable') && 'no immutable',
      !(maxAge >= IMMUTABLE_MIN_MAX_AGE) &&
        `max-age ${directives.get('max-age') ?? 'missing'} < ${IMMUTABLE_MIN_MAX_AGE}`,
      directives.has('no-store') && 'no-store',
    ].filter(Boolean);
    return missing.length > 0
      ? [`${path}: ${missing.join(', ')} (${header(response, 'cache-control') ?? 'no Cache-Control'})`]
      : [];
  });
  return problems.length === 0
    ? {
        id,
        status: 'pass',
        detail: `${hashed.length} hashed asset(s): ${header(hashed[0]!.response, 'cache-control')}`,
      }
    : { id, status: 'fail', detail: problems.join('; ') };
}

function checkHtmlNotImmutable(evidence: Evidence): CheckResult {
  const id = 'cache.html-not-immutable';
  const pages = [evidence.page, ...evidence.extraPages, evidence.notFound].filter(answered);
  const immutable = pages.filter((page) => cacheDirectives(page).has('immutable'));
  return immutable.length === 0
    ? { id, status: 'pass', detail: `page: ${header(evidence.page, 'cache-control') ?? 'no Cache-Control'}` }
    : {
        id,
        status: 'fail',
        detail: `HTML marked immutable (a deploy never reaches returning visitors): ${immutable.map((p) => new URL(p.url).pathname).join(', ')}`,
      };
}

function checkRevalidation(
  id: string,
  original: ObservedResponse,
  revalidated: ObservedResponse | undefined,
): CheckResult {
  const path = new URL(original.url).pathname;
  if (!succeeded(original))
    return { id, status: 'skip', detail: `skipped: ${path} answered ${describeResponse(original)}` };
  if (!revalidated)
    return { id, status: 'fail', detail: `${path} has no ETag or Last-Modified: every visit downloads it again` };
  const validator = header(original, 'etag') !== undefined ? 'If-None-Match' : 'If-Modified-Since';
  if (revalidated.status !== 304) {
    return {
      id,
      status: 'fail',
      detail: `${path} with ${validator} answered ${describeResponse(revalidated)}, not 304`,
    };
  }
  if (revalidated.body.length > 0) return { id, status: 'fail', detail: `${path}: the 304 carries a body` };
  return { id, status: 'pass', detail: `${path} with ${validator} → 304` };
}

/** Hashed assets cached for good, HTML never immutable, and revalidation answered with 304. */
export function checkCaching(evidence: Evidence): CheckResult[] {
  const asset = evidence.assets.find((a) => isHashedAsset(a.response.url)) ?? evidence.assets[0];
  return [
    checkHashedAssets(evidence.assets),
    checkHtmlNotImmutable(evidence),
    checkRevalidation('cache.page-304', evidence.page, evidence.pageRevalidated),
    asset
      ? checkRevalidation('cache.asset-304', asset.response, asset.revalidated)
      : { id: 'cache.asset-304', status: 'skip', detail: 'skipped: the page loads no same-origin asset' },
  ];
}
