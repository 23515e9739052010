import { inTier } from './scenarios.mjs';
import { TIERS } from './servers.mjs';
import { ratio } from './stats.mjs';
import { ORIGIN_LABELS, ORIGINS } from './client-js-origins.mjs';

export const KB = 1000;

/**
 * The checks that compare servers reading one database tier, ids and labels marked with the tier.
 * `verified`: the tier's minimal-SSR ceiling sent ours' HTML at run start; if not, its ratios are
 * shown but FLAGGED, never passed or missed.
 */
function tierChecks(tier, rps, p99, p99Established, verified) {
  const id = (base) => inTier(tier, base);
  const label = (text) => `[${tier}] ${text}`;
  const againstCeiling = { ceiling: true };
  return [
    {
      id: id('home-vs-ceiling'),
      label: label('uncached / : ours ÷ minimal-SSR ceiling req/s'),
      value: ratio(rps(id('ours-home')), rps(id('ceiling-ssr-home'))),
      target: 0.8,
      op: '>=',
      unit: 'x',
      ...againstCeiling,
    },
    {
      id: id('post-vs-ceiling'),
      label: label('uncached /posts/1 : ours ÷ minimal-SSR ceiling req/s'),
      value: ratio(rps(id('ours-post')), rps(id('ceiling-ssr-post'))),
      target: null,
      op: '>=',
      unit: 'x',
      ...againstCeiling,
    },
    {
      id: id('home-vs-sveltekit'),
      label: label('uncached / : ours ÷ SvelteKit req/s (info)'),
      value: ratio(rps(id('ours-home')), rps(id('kit-home'))),
      target: null,
      op: '>=',
      unit: 'x',
    },
    {
      id: id('post-vs-sveltekit'),
      label: label('uncached /posts/1 : ours ÷ SvelteKit req/s (info)'),
      value: ratio(rps(id('ours-post')), rps(id('kit-post'))),
      target: null,
      op: '>=',
      unit: 'x',
    },
    {
      id: id('cached-vs-raw'),
      label: label('cached / : ours ÷ raw Fastify with ours’ bytes and headers'),
      value: ratio(rps(id('ours-home-cached')), rps('raw-home')),
      target: 0.9,
      op: '>=',
      unit: 'x',
    },
    {
      id: id('p99-home-vs-ceiling'),
      label: label('p99 uncached / : ours ÷ minimal-SSR ceiling'),
      value: ratio(p99(id('ours-home')), p99(id('ceiling-ssr-home'))),
      target: 1.25,
      op: '<=',
      unit: 'x',
      ...againstCeiling,
    },
    {
      id: id('p99-post-vs-ceiling'),
      label: label('p99 uncached /posts/1 : ours ÷ minimal-SSR ceiling'),
      value: ratio(p99(id('ours-post')), p99(id('ceiling-ssr-post'))),
      target: 1.25,
      op: '<=',
      unit: 'x',
      ...againstCeiling,
    },
    {
      id: id('p99-established-home-vs-ceiling'),
      label: label('p99 uncached / on established connections : ours ÷ ceiling (info)'),
      value: ratio(p99Established(id('ours-home')), p99Established(id('ceiling-ssr-home'))),
      target: null,
      op: '<=',
      unit: 'x',
      ...againstCeiling,
    },
    {
      id: id('p99-cached'),
      label: label('p99 latency, cached /'),
      value: p99(id('ours-home-cached')),
      target: 8,
      op: '<=',
      unit: 'ms',
    },
    {
      id: id('p99-established-cached'),
      label: label('p99 latency, cached /, established connections (info)'),
      value: p99Established(id('ours-home-cached')),
      target: null,
      op: '<=',
      unit: 'ms',
    },
    {
      id: id('cache-speedup'),
      label: label('cached ÷ uncached / req/s (info)'),
      value: ratio(rps(id('ours-home-cached')), rps(id('ours-home'))),
      target: null,
      op: '>=',
      unit: 'x',
    },
  ].map(({ ceiling, ...check }) => ({ ...check, tier, ...(ceiling && !verified ? { flagged: true } : {}) }));
}

/**
 * The targets, each evaluated against the summarized results, for every tier in `tiers` (the ones
 * this run measured). `value` is null when not measured. `verifiedTiers`: the tiers whose ceiling
 * sent ours' HTML; `clientJs`: the start-up JS of `/` by origin (client-js-origins.mjs).
 */
export function evaluate({ scenarios, sizes, tiers, startup, verifiedTiers, clientJs }) {
  const rps = (id) => scenarios[id]?.summary?.rps ?? null;
  const p99 = (id) => scenarios[id]?.summary?.p99 ?? null;
  const p99Established = (id) => scenarios[id]?.summary?.p99Established ?? null;
  const overhead = (on, off) => {
    const r = ratio(rps(on), rps(off));
    return r === null ? null : 1 - r;
  };
  const measured = Object.values(scenarios).filter((s) => s.summary);
  const failures = measured.reduce((t, s) => t + s.summary.errors + s.summary.timeouts + s.summary.non2xx, 0);
  const notStarted = Object.values(scenarios)
    .filter((s) => !s.summary)
    .map((s) => s.id);

  const checks = [
    ...tiers.flatMap((tier) => tierChecks(tier, rps, p99, p99Established, verifiedTiers.has(tier))),
    {
      id: 'postgres-vs-embedded',
      tier: null,
      label: 'uncached / : ours on PostgreSQL ÷ ours embedded req/s (info)',
      value: ratio(rps('pg-ours-home'), rps('ours-home')),
      target: null,
      op: '>=',
      unit: 'x',
    },
    {
      id: 'preset-overhead',
      tier: 'embedded',
      label: '[embedded] preset overhead on / : 1 − (preset on ÷ PRESET=off)',
      value: overhead('ours-home', 'ours-home-preset-off'),
      target: 0.15,
      op: '<=',
      unit: '%',
    },
    {
      id: 'rate-limit-overhead',
      tier: 'embedded',
      label: '[embedded] rate limiter cost on / : 1 − (limiter on ÷ off) (info)',
      value: overhead('ours-home-ratelimit', 'ours-home'),
      target: null,
      op: '<=',
      unit: '%',
    },
    {
      id: 'client-js-home',
      tier: null,
      label: 'client JS for the list page, gzip',
      value: sizes['ours-home']?.js?.gzip ?? null,
      target: 20 * KB,
      op: '<=',
      unit: 'kB',
      ...(clientJs
        ? {
            parts: ORIGINS.filter((origin) => clientJs.raw[origin] > 0).map((origin) => ({
              origin,
              label: ORIGIN_LABELS[origin],
              value: clientJs.gzip[origin],
            })),
          }
        : {}),
    },
    {
      id: 'cold-start',
      tier: null,
      label: 'cold start, ours without a database (spawn → first /health 200)',
      value: startup['ours-no-db']?.median ?? null,
      target: 300,
      op: '<=',
      unit: 'ms',
    },
    {
      id: 'zero-errors',
      tier: null,
      label: `errors + timeouts + non-2xx, all runs${notStarted.length ? ` (not run: ${notStarted.join(', ')})` : ''}`,
      value: measured.length ? failures : null,
      target: 0,
      op: '<=',
      unit: 'n',
    },
  ];
  // A check of a tier this run left out would only ever read N/A.
  const relevant = checks.filter(
    (check) =>
      (check.tier === null || tiers.includes(check.tier)) &&
      (check.id !== 'postgres-vs-embedded' || tiers.length === TIERS.length),
  );
  for (const check of relevant) {
    if (check.value === null) check.status = check.target === null ? 'INFO' : 'N/A';
    else if (check.flagged) check.status = 'FLAGGED';
    else if (check.target === null) check.status = 'INFO';
    else
      check.status = (check.op === '>=' ? check.value >= check.target : check.value <= check.target) ? 'PASS' : 'MISS';
  }
  return relevant;
}

export function formatValue(value, unit) {
  if (value === null || value === undefined) return '—';
  switch (unit) {
    case 'x':
      return `${value.toFixed(2)}×`;
    case '%':
      return `${(value * 100).toFixed(1)} %`;
    case 'ms':
      return `${value.toFixed(0)} ms`;
    case 'kB':
      return `${(value / KB).toFixed(1)} kB`;
    default:
      return String(value);
  }
}

export function formatTarget(check) {
  if (check.target === null) return '';
  return `${check.op === '>=' ? '≥' : '≤'} ${formatValue(check.target, check.unit)}`;
}
