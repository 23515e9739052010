import type { AuditReport } from './audit.js';

const LABELS = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' } as const;

/** A table for people: one line per check, status first, then a one-line summary. */
export function formatReport(report: AuditReport): string {
  const width = Math.max(5, ...report.checks.map((c) => c.id.length));
  const lines = [
    `composable-svelte-doctor: ${report.target}`,
    '',
    `STATUS  ${'CHECK'.padEnd(width)}  DETAIL`,
    ...report.checks.map((c) => `${LABELS[c.status].padEnd(6)}  ${c.id.padEnd(width)}  ${c.detail}`),
    '',
    `${report.ok ? 'OK' : 'NOT READY'}: ${report.counts.fail} failing, ${report.counts.warn} warning, ` +
      `${report.counts.pass} passing, ${report.counts.skip} skipped`,
  ];
  return lines.join('\n') + '\n';
}
