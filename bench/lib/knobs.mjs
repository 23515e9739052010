import { inTier } from './scenarios.mjs';

async function headersOf(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'text/html' } });
  await response.arrayBuffer();
  const headers = Object.fromEntries(response.headers);
  return { status: response.status, headers };
}

const CACHE_HEADER = /^(age|etag|cache-control|cache-status|x-cache.*|last-modified)$/i;
const cacheHeaders = (response) =>
  Object.fromEntries(Object.entries(response?.headers ?? {}).filter(([k]) => CACHE_HEADER.test(k)));
const has = (response, name) => response && Object.hasOwn(response.headers, name);

/**
 * Did each server honour the knobs it was started with? Judged from headers and, for the cache and
 * the rate limiter, from the load runs, in every tier of `tiers`.
 */
export async function checkKnobs(handles, scenarios, tiers) {
  const knobs = [];
  const get = async (id, path = '/') => (handles[id] ? headersOf(handles[id].url + path).catch(() => null) : null);

  for (const tier of tiers) {
    const name = (knob) => `[${tier}] ${knob}`;
    const uncachedServer = inTier(tier, 'ours');
    const cachedServer = `${uncachedServer}-cached`;
    // The default limit is 300 requests a minute per client: any longer run from one client would see 4xx.
    const oursRuns = Object.values(scenarios).filter((sc) => sc.server === uncachedServer && sc.summary);
    if (oursRuns.length > 0) {
      const requests = oursRuns.reduce((t, sc) => t + sc.summary.requests, 0);
      const rejected = oursRuns.reduce(
        (t, sc) => t + sc.rounds.reduce((u, r) => u + (r.statusCodes['4xx'] ?? 0), 0),
        0,
      );
      knobs.push({
        name: name('RATE_LIMIT_ENABLED=false'),
        status: rejected > 0 ? 'NOT HONOURED' : requests > 300 ? 'ok' : 'unclear',
        evidence: `${requests.toLocaleString('en-US')} requests from one client, ${rejected} answered 4xx (the default limit is 300 a minute)`,
      });
    }
    const [ours, oursAgain, cached, cachedAgain] = [
      await get(uncachedServer),
      await get(uncachedServer),
      await get(cachedServer),
      await get(cachedServer),
    ];
    if (ours && cached) {
      const home = scenarios[inTier(tier, 'ours-home')]?.summary;
      const cachedHome = scenarios[inTier(tier, 'ours-home-cached')]?.summary;
      const speedup = home && cachedHome ? cachedHome.rps / home.rps : null;
      knobs.push({
        name: name('CACHE_ENABLED=true'),
        status: speedup === null ? 'unclear' : speedup >= 1.5 ? 'ok' : 'NOT VISIBLE',
        evidence: `cached / is ${speedup === null ? '?' : `${speedup.toFixed(2)}×`} the uncached req/s; cache headers first ${JSON.stringify(cacheHeaders(cached))}, second ${JSON.stringify(cacheHeaders(cachedAgain))}, uncached ${JSON.stringify({ ...cacheHeaders(ours), ...cacheHeaders(oursAgain) })}`,
      });
    }
  }

  const [ours, presetOff] = [await get('ours'), await get('ours-preset-off')];
  if (ours && presetOff) {
    const csp = has(presetOff, 'content-security-policy');
    knobs.push({
      name: '[embedded] PRESET=off',
      status: csp ? 'NOT HONOURED' : 'ok',
      evidence: `${Object.keys(presetOff.headers).length} response headers vs ${Object.keys(ours.headers).length} with the preset; Content-Security-Policy ${csp ? 'still sent' : 'gone'}${has(presetOff, 'x-request-id') ? '; x-request-id still sent' : ''}`,
    });
  }
  return knobs;
}
