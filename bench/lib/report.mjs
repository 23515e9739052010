import { formatTarget, formatValue, KB } from './checks.mjs';
import { ORIGIN_LABELS, ORIGINS } from './client-js-origins.mjs';

function table(headers, rows, align) {
  const cells = [headers, ...rows].map((row) =>
    row.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))),
  );
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => [...row[i]].length)));
  const pad = (text, i) => {
    const gap = ' '.repeat(widths[i] - [...text].length);
    return align[i] === 'r' ? gap + text : text + gap;
  };
  const line = (row) => row.map(pad).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const int = (v) => (typeof v === 'number' ? Math.round(v).toLocaleString('en-US') : null);
const ms = (v) => (typeof v === 'number' ? v.toFixed(v < 10 ? 1 : 0) : null);
const kb = (v) => (typeof v === 'number' ? (v / KB).toFixed(1) : null);
const mb = (v) => (typeof v === 'number' ? (v / 1024 / 1024).toFixed(0) : null);

/** The human-readable report. */
export function renderReport(results) {
  const { meta, scenarios, servers, sizes, startup, checks } = results;
  const out = [];
  out.push(
    `Composable Svelte benchmark — ${meta.date}`,
    `node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, load average ${meta.loadavgBefore.join(' ')} before, ${meta.loadavgAfter.join(' ')} after`,
    `${meta.options.connections} connections, ${meta.options.rounds} round(s) × ${meta.options.duration} s per scenario (medians), ${meta.options.warmup} s warm-up; client and servers share the box, loopback`,
    ...Object.entries(meta.tiers).map(
      ([tier, t]) =>
        `tier ${tier}: ${t.status === 'skipped' ? `SKIPPED — ${t.reason}` : t.status}${t.database ? ` — ${t.database}` : ''}`,
    ),
    '',
  );

  out.push(
    table(
      ['tier', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'p99 est. ms', 'max ms', 'err', 'non-2xx', 'rounds req/s'],
      Object.values(scenarios).map((s) =>
        s.summary
          ? [
              s.tier ?? 'any',
              s.label,
              int(s.summary.rps),
              ms(s.summary.p50),
              ms(s.summary.p99),
              ms(s.summary.p99Established),
              ms(s.summary.max),
              s.summary.errors + s.summary.timeouts,
              s.summary.non2xx,
              s.summary.rpsPerRound.join(' / '),
            ]
          : [s.tier ?? 'any', s.label, 'not run', '', '', '', '', '', '', s.error ?? ''],
      ),
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  );

  out.push(
    table(
      ['tier', 'server', 'env', 'RSS after runs MB', 'RSS idle MB', 'first ready ms'],
      Object.values(servers).map((s) => [
        s.tier ?? 'none',
        s.label,
        s.knobs,
        mb(s.rssAfter),
        mb(s.rssIdle),
        ms(s.readyMs) ?? s.error ?? '',
      ]),
      ['l', 'l', 'l', 'r', 'r', 'r'],
    ),
    '',
  );

  out.push(
    table(
      ['tier', 'start-up (spawn → first 200)', 'median ms', 'idle RSS MB', 'samples ms'],
      Object.values(startup).map((s) => [
        s.tier ?? 'none',
        s.label,
        ms(s.median),
        mb(s.rssIdle),
        s.error ?? s.samples.map((v) => v.toFixed(0)).join(' / '),
      ]),
      ['l', 'l', 'r', 'r', 'l'],
    ),
    '',
  );

  out.push(
    table(
      ['page weight (gzip level 6)', 'HTML raw kB', 'HTML gzip kB', 'JS raw kB', 'JS gzip kB', 'JS files'],
      Object.entries(sizes).map(([, s]) =>
        s.error
          ? [s.label, s.error, '', '', '', '']
          : [s.label, kb(s.html.raw), kb(s.html.gzip), kb(s.js.raw), kb(s.js.gzip), s.js.files],
      ),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  const origins = sizes['ours-home']?.js?.origins;
  if (origins) {
    const parts = ORIGINS.filter((o) => origins.raw[o] > 0).map(
      (o) => `${ORIGIN_LABELS[o]} ${kb(origins.gzip[o])} (${kb(origins.raw[o])} raw)`,
    );
    out.push(
      `client JS of ours /, kB gzip by origin (from source maps; gzip shared out by raw bytes): ${parts.join(', ')}`,
      '',
    );
  }

  if (results.ceilingHtml.length > 0) {
    out.push("minimal-SSR ceiling vs ours (uncached), HTML byte for byte with the queries' answer times normalised:");
    for (const c of results.ceilingHtml)
      out.push(`  ${c.status.padEnd(13)} [${c.tier}] ${c.path ?? ''}: ${c.evidence}`);
    out.push('');
  }

  out.push(
    table(
      ['check', 'value', 'target', 'result'],
      checks.map((c) => [c.label, formatValue(c.value, c.unit), formatTarget(c), c.status]),
      ['l', 'r', 'l', 'l'],
    ),
  );

  if (results.parity.length > 0) {
    out.push('', 'same data in both tiers:');
    for (const p of results.parity) out.push(`  ${p.status.padEnd(13)} ${p.what}: ${p.evidence}`);
  }
  if (results.knobs.length > 0) {
    out.push('', 'knobs:');
    for (const knob of results.knobs) out.push(`  ${knob.status.padEnd(13)} ${knob.name}: ${knob.evidence}`);
  }
  if (results.problems.length > 0) {
    out.push('', 'problems:');
    for (const problem of results.problems) out.push(`  - ${problem}`);
  }
  return out.join('\n');
}
