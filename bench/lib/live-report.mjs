/** The live benchmark's figures as text: what bench/live.mjs prints, and what bench/run.mjs appends. */
export const LIVE_TARGETS = { idleSockets: 10_000, idleRssMb: 500, p99Ms5000: 50 };

export function liveTable(results) {
  const lines = [
    `Machine: ${results.machine.cpus} CPUs, load average ${results.machine.loadAverage.join(' ')} at start`,
    '',
  ];
  const fixed = (value, digits = 1) => (value === undefined ? '—' : value.toFixed(digits));
  if (results.idle) {
    const { sockets, rssMb, perSocketKb, heapPerSocketKb, openPerSecond } = results.idle;
    lines.push('Idle sockets (one instance, each joined to one channel)');
    lines.push(`  sockets held                ${sockets}    (target ≥ ${LIVE_TARGETS.idleSockets})`);
    lines.push(`  server RSS                  ${fixed(rssMb)} MB    (target < ${LIVE_TARGETS.idleRssMb} MB)`);
    lines.push(`  RSS per socket              ${fixed(perSocketKb, 2)} kB`);
    lines.push(`  JS heap per socket          ${fixed(heapPerSocketKb, 2)} kB`);
    lines.push(`  upgrades+joins per second   ${fixed(openPerSecond, 0)}`);
  }
  lines.push('');
  lines.push(
    `Broadcast fan-out (publish → frame read by the subscriber's process: ${results.clientProcs} client processes stamp each`,
  );
  lines.push(
    'chunk on arrival, on the same clock as the publisher, and decode later; server write = publish until every local socket was written)',
  );
  lines.push('  instances  subscribers  samples   p50 ms   p99 ms   server write p50 ms   its CPU p50 ms');
  for (const row of results.fanout) {
    const target =
      row.instances === 1 && row.subscribers === 5000 ? `   (target p99 ≤ ${LIVE_TARGETS.p99Ms5000} ms)` : '';
    lines.push(
      `  ${String(row.instances).padStart(9)}  ${String(row.subscribers).padStart(11)}  ${String(row.samples).padStart(7)}  ${fixed(row.p50Ms).padStart(7)}  ${fixed(row.p99Ms).padStart(7)}  ${fixed(row.serverWriteP50Ms).padStart(20)}  ${fixed(row.serverCpuP50Ms).padStart(14)}${target}`,
    );
  }
  for (const problem of results.problems) lines.push(`problem: ${problem}`);
  return `${lines.join('\n')}\n`;
}
