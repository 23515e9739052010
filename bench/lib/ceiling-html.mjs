import { setTimeout as sleep } from 'node:timers/promises';
import { inTier } from './scenarios.mjs';

/** The pages the minimal-SSR ceiling serves, compared with ours' before anything is measured. */
export const CEILING_PAGES = ['/', '/posts/1'];

/**
 * The one per-request value in these pages: when each query was answered, the epoch milliseconds
 * of the state's `queries` stamps (`"queries":{"[\"posts\"]":1796067410399}`). Only those digits
 * are replaced; every other byte must be the same.
 */
export function normalise(html) {
  return html.replace(/("queries":\{)([^{}]*)\}/, (_, open, stamps) => `${open}${stamps.replace(/":\d+/g, '":<t>')}}`);
}

/** A page's HTML. Ours may shed load (503) for a moment after its start: that is asked again, twice. */
async function page(url) {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'text/html' } });
    const body = Buffer.from(await response.arrayBuffer());
    if (response.ok) return body.toString('utf8');
    if (response.status !== 503 || attempt === 3) throw new Error(`GET ${url} answered ${response.status}`);
    await sleep(1000);
  }
}

const excerpt = (text, at) => JSON.stringify(text.slice(Math.max(0, at - 40), at + 60));

/** The first difference of two normalised pages: its byte offset and what each side has there. */
function firstDifference(ours, ceiling) {
  let at = 0;
  while (at < ours.length && ours[at] === ceiling[at]) at += 1;
  return {
    offset: Buffer.byteLength(ours.slice(0, at)),
    ours: excerpt(ours, at),
    ceiling: excerpt(ceiling, at),
  };
}

/**
 * Does the ceiling of each tier send ours' HTML? Fetches every page of CEILING_PAGES from ours
 * (uncached) and from the tier's ceiling and compares them after `normalise`. A tier is `same`
 * only when every page is; anything else makes its ceiling ratios unverified.
 */
export async function compareWithCeiling(handles, tiers) {
  const results = [];
  for (const tier of tiers) {
    const [ours, ceiling] = [handles[inTier(tier, 'ours')], handles[inTier(tier, 'ceiling-ssr')]];
    if (!ceiling) continue;
    if (!ours) {
      results.push({ tier, path: null, status: 'unclear', evidence: 'ours did not start' });
      continue;
    }
    for (const path of CEILING_PAGES) {
      try {
        const [a, b] = [normalise(await page(ours.url + path)), normalise(await page(ceiling.url + path))];
        if (a === b) {
          results.push({ tier, path, status: 'same', evidence: `${Buffer.byteLength(a)} bytes` });
        } else {
          const difference = firstDifference(a, b);
          results.push({
            tier,
            path,
            status: 'DIFFERENT',
            evidence: `ours ${Buffer.byteLength(a)} bytes, ceiling ${Buffer.byteLength(b)} bytes; first difference at byte ${difference.offset}: ours ${difference.ours}, ceiling ${difference.ceiling}`,
            ...difference,
          });
        }
      } catch (error) {
        results.push({ tier, path, status: 'unclear', evidence: error.message });
      }
    }
  }
  return results;
}

/** The tiers whose ceiling sent ours' HTML for every page compared. */
export const verifiedTiers = (results) =>
  new Set(
    results
      .map((r) => r.tier)
      .filter((tier) => results.filter((r) => r.tier === tier).every((r) => r.status === 'same')),
  );
