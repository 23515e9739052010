import autocannon from 'autocannon';
import { median, sum } from './stats.mjs';

/**
 * One bounded autocannon run (it stops by itself after `duration` seconds). Responses are counted
 * per status class; anything but a 2xx, a socket error or a timeout counts as an error.
 */
export async function measure(url, { connections, duration }) {
  const result = await autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 10,
    // Same request from every client; no Accept-Encoding, so every server sends identity bodies.
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
  const seconds = result.duration || duration;
  const ok = result['2xx'] ?? 0;
  return {
    requests: result.requests.total,
    ok,
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    bytesPerSec: result.throughput.average,
    errors: result.errors ?? 0,
    timeouts: result.timeouts ?? 0,
    non2xx: result.non2xx ?? 0,
    statusCodes: statusCounts(result),
    seconds,
  };
}

function statusCounts(result) {
  const counts = {};
  for (const key of ['1xx', '2xx', '3xx', '4xx', '5xx']) if (result[key]) counts[key] = result[key];
  return counts;
}

/** Medians over rounds (rps, p50, p99) and totals of everything that went wrong. */
export function summarize(rounds) {
  if (rounds.length === 0) return null;
  return {
    rounds: rounds.length,
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    max: Math.max(...rounds.map((r) => r.max)),
    rpsPerRound: rounds.map((r) => Math.round(r.rps)),
    requests: sum(rounds.map((r) => r.requests)),
    errors: sum(rounds.map((r) => r.errors)),
    timeouts: sum(rounds.map((r) => r.timeouts)),
    non2xx: sum(rounds.map((r) => r.non2xx)),
  };
}
