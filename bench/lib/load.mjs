import autocannon from 'autocannon';
import { median, percentile, sum } from './stats.mjs';

/**
 * One bounded autocannon run (it stops by itself after `duration` seconds). Responses are counted
 * per status class; anything but a 2xx, a socket error or a timeout counts as an error.
 */
export async function measure(url, { connections, duration }) {
  const run = autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 10,
    // Same request from every client; no Accept-Encoding, so every server sends identity bodies.
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
  });
  const established = afterFirstRequests(run);
  const result = await run;
  const seconds = result.duration || duration;
  const ok = result['2xx'] ?? 0;
  return {
    requests: result.requests.total,
    ok,
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p99Established: percentile(established, 0.99),
    max: result.latency.max,
    bytesPerSec: result.throughput.average,
    errors: result.errors ?? 0,
    timeouts: result.timeouts ?? 0,
    non2xx: result.non2xx ?? 0,
    statusCodes: statusCounts(result),
    seconds,
  };
}

/**
 * Latencies of the requests after each connection's first. A first request also
 * waits for the server to accept its connection, and since libuv 1.45 (Node 20; libuv pull request
 * 3696) a server accepts one connection per turn of its event loop. When the 50 connections of a
 * round open at once and the first few already saturate the server, the last ones are accepted one
 * long turn after another: their first requests wait up to seconds, in every Node server measured
 * here, by as much as the CPU each of its turns takes. That wait is part of p99 (a fresh connection
 * pays it in production too); `p99Established` leaves it out, so it says how the server answers the
 * connections it serves.
 */
function afterFirstRequests(run) {
  const seen = new Set();
  const later = [];
  run.on('response', (client, _status, _bytes, responseTime) => {
    if (seen.has(client)) later.push(responseTime);
    else seen.add(client);
  });
  return later;
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
    p99Established: median(rounds.map((r) => r.p99Established)),
    max: Math.max(...rounds.map((r) => r.max)),
    rpsPerRound: rounds.map((r) => Math.round(r.rps)),
    requests: sum(rounds.map((r) => r.requests)),
    errors: sum(rounds.map((r) => r.errors)),
    timeouts: sum(rounds.map((r) => r.timeouts)),
    non2xx: sum(rounds.map((r) => r.non2xx)),
  };
}
