import { formatTarget, formatValue } from './checks.mjs';

const escape = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const COLORS = { PASS: '#2e7d32', MISS: '#c62828', INFO: '#607d8b', 'N/A': '#9e9e9e', FLAGGED: '#ef6c00' };
/** The segments of a bar split by origin (the client JS). */
const PART_COLORS = { svelte: '#ff3e00', core: '#1565c0', app: '#6a1b9a', other: '#00897b', unmapped: '#9e9e9e' };
const partColor = (part) => PART_COLORS[part.origin] ?? PART_COLORS.unmapped;

/**
 * A horizontal bar per check with a dashed line at its target. Each row has its own scale
 * (0 to 1.25 × the larger of value and target), so bars compare a figure with its target, not rows
 * with each other. A check with `parts` (the client JS by origin) is a stacked bar, with a legend
 * under the chart. FLAGGED: a ratio against a ceiling whose HTML was not ours'.
 */
export function renderSvg(checks, meta) {
  const rows = checks.filter((c) => c.unit !== 'n');
  const width = 1120;
  const labelWidth = 480;
  const barX = labelWidth + 10;
  const barWidth = width - barX - 240;
  const rowHeight = 34;
  const top = 56;
  const split = rows.find((c) => c.parts);
  const height = top + rows.length * rowHeight + 40 + (split ? 22 : 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13">`,
    `<title>Composable Svelte benchmark: ratios against targets</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600" fill="#212121">Composable Svelte vs targets</text>`,
    `<text x="16" y="44" fill="#616161">${escape(`${meta.date} · node ${meta.node} · ${meta.cpus} CPUs · ${meta.options.connections} connections · ${meta.options.rounds} × ${meta.options.duration} s · dashed line = target, grey dotted = 1× (parity)`)}</text>`,
  ];
  rows.forEach((check, i) => {
    const y = top + i * rowHeight;
    const value = typeof check.value === 'number' ? Math.max(0, check.value) : 0;
    // Rows without a target but in × get a grey parity line at 1×.
    const reference = check.target ?? (check.unit === 'x' ? 1 : null);
    const scaleMax = Math.max(value, reference ?? 0, 1e-9) * 1.25;
    const w = (value / scaleMax) * barWidth;
    const color = COLORS[check.status] ?? COLORS.INFO;
    parts.push(
      `<text x="${labelWidth}" y="${y + 20}" text-anchor="end" fill="#212121">${escape(check.label)}</text>`,
      `<rect x="${barX}" y="${y + 7}" width="${barWidth}" height="18" fill="#f5f5f5"/>`,
    );
    if (check.parts) {
      let x = barX;
      for (const part of check.parts) {
        const pw = (Math.max(0, part.value) / scaleMax) * barWidth;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y + 7}" width="${pw.toFixed(1)}" height="18" fill="${partColor(part)}"/>`,
        );
        x += pw;
      }
    } else {
      parts.push(`<rect x="${barX}" y="${y + 7}" width="${w.toFixed(1)}" height="18" fill="${color}"/>`);
    }
    if (reference !== null) {
      const tx = barX + (reference / scaleMax) * barWidth;
      const stroke =
        check.target !== null ? 'stroke="#212121" stroke-dasharray="4 3"' : 'stroke="#9e9e9e" stroke-dasharray="2 3"';
      parts.push(
        `<line x1="${tx.toFixed(1)}" y1="${y + 3}" x2="${tx.toFixed(1)}" y2="${y + 29}" ${stroke} stroke-width="2"/>`,
      );
    }
    const text = `${formatValue(check.value, check.unit)}${check.target !== null ? ` (${formatTarget(check)})` : ''} ${check.status}`;
    parts.push(
      `<text x="${barX + barWidth + 8}" y="${y + 20}" fill="${color}" font-weight="600">${escape(text)}</text>`,
    );
  });
  if (split) {
    let x = 16;
    const y = height - 40;
    parts.push(`<text x="${x}" y="${y}" fill="#212121">${escape(`${split.label}:`)}</text>`);
    x += 8 + 7 * split.label.length;
    for (const part of split.parts) {
      const text = `${part.label} ${formatValue(part.value, split.unit)}`;
      parts.push(
        `<rect x="${x}" y="${y - 11}" width="12" height="12" fill="${partColor(part)}"/>`,
        `<text x="${x + 16}" y="${y}" fill="#212121">${escape(text)}</text>`,
      );
      x += 28 + 7 * text.length;
    }
  }
  const errors = checks.find((c) => c.unit === 'n');
  if (errors) {
    parts.push(
      `<text x="16" y="${height - 14}" fill="${COLORS[errors.status] ?? COLORS.INFO}">${escape(`${errors.label}: ${formatValue(errors.value, errors.unit)} — ${errors.status}`)}</text>`,
    );
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
