import { ratio } from './stats.mjs';

export const KB = 1000;

/** The targets, each evaluated against the summarized results. `value` is null when not measured. */
export function evaluate({ scenarios, sizes }) {
  const rps = (id) => scenarios[id]?.summary?.rps ?? null;
  const p99 = (id) => scenarios[id]?.summary?.p99 ?? null;
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
    {
      id: 'home-vs-sveltekit',
      label: 'uncached / : ours ÷ SvelteKit req/s',
      value: ratio(rps('ours-home'), rps('kit-home')),
      target: 3,
      op: '>=',
      unit: 'x',
    },
    {
      id: 'post-vs-sveltekit',
      label: 'uncached /posts/1 : ours ÷ SvelteKit req/s',
      value: ratio(rps('ours-post'), rps('kit-post')),
      target: null,
      op: '>=',
      unit: 'x',
    },
    {
      id: 'cached-vs-ceiling',
      label: 'cached / : ours ÷ raw Fastify ceiling req/s',
      value: ratio(rps('ours-home-cached'), rps('ceiling-home')),
      target: 0.9,
      op: '>=',
      unit: 'x',
    },
    {
      id: 'preset-overhead',
      label: 'preset overhead on / : 1 − (preset on ÷ PRESET=off)',
      value: overhead('ours-home', 'ours-home-preset-off'),
      target: 0.15,
      op: '<=',
      unit: '%',
    },
    {
      id: 'p99-home',
      label: `p99 latency, uncached /`,
      value: p99('ours-home'),
      target: 30,
      op: '<=',
      unit: 'ms',
    },
    {
      id: 'p99-post',
      label: `p99 latency, uncached /posts/1`,
      value: p99('ours-post'),
      target: 30,
      op: '<=',
      unit: 'ms',
    },
    {
      id: 'client-js-home',
      label: 'client JS for the list page, gzip',
      value: sizes['ours-home']?.js?.gzip ?? null,
      target: 20 * KB,
      op: '<=',
      unit: 'kB',
    },
    {
      id: 'zero-errors',
      label: `errors + timeouts + non-2xx, all runs${notStarted.length ? ` (not run: ${notStarted.join(', ')})` : ''}`,
      value: measured.length ? failures : null,
      target: 0,
      op: '<=',
      unit: 'n',
    },
    {
      id: 'cache-speedup',
      label: 'cached ÷ uncached / req/s (info)',
      value: ratio(rps('ours-home-cached'), rps('ours-home')),
      target: null,
      op: '>=',
      unit: 'x',
    },
    {
      id: 'rate-limit-overhead',
      label: 'rate limiter cost on / : 1 − (limiter on ÷ off) (info)',
      value: overhead('ours-home-ratelimit', 'ours-home'),
      target: null,
      op: '<=',
      unit: '%',
    },
  ];
  for (const check of checks) {
    if (check.target === null) check.status = 'INFO';
    else if (check.value === null) check.status = 'N/A';
    else
      check.status = (check.op === '>=' ? check.value >= check.target : check.value <= check.target) ? 'PASS' : 'MISS';
  }
  return checks;
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
