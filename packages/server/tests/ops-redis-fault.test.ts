/**
 * Redis goes away under load and comes back: pages keep being served, /ready and the metrics tell
 * the truth, the log says it once each way, and the server recovers without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import {
  closeOpsServersAfterEach,
  eventually,
  metricValue,
  OPS_DEVELOPMENT_ENV,
  readMetrics,
  sleep,
  startOpsServer,
} from './support/ops-server.js';
import { requireRedisBinaries } from './support/redis-available.js';
import { createSpareRedis, type SpareRedis } from './support/redis-spare-server.js';

closeOpsServersAfterEach();

const binaries = requireRedisBinaries();

type Phase = 'up' | 'outage' | 'recovered';

interface Sample {
  readonly phase: Phase;
  readonly status: number;
  readonly ms: number;
}

/** `concurrency` workers requesting `url` back to back (with a breath between requests) until stopped. */
function steadyLoad(server: ComposableServer, url: string, concurrency: number) {
  const samples: Sample[] = [];
  let phase: Phase = 'up';
  let running = true;
  const workers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const at = phase;
      const started = performance.now();
      const response = await server.inject(url);
      samples.push({ phase: at, status: response.statusCode, ms: performance.now() - started });
      await sleep(5);
    }
  });
  return {
    samples,
    setPhase(next: Phase) {
      phase = next;
    },
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe.skipIf(!binaries)('Redis outage under load', () => {
  let spare: SpareRedis | undefined;

  beforeAll(async () => {
    spare = await createSpareRedis(binaries!);
    await spare.start();
  });

  afterAll(async () => {
    await spare?.dispose();
  });

  it(
    'keeps serving pages, reports the outage once, and recovers by itself when Redis returns',
    { timeout: 30_000 },
    async () => {
      const { server, log } = await startOpsServer({
        baseEnv: OPS_DEVELOPMENT_ENV,
        // The limit is not under test here: high enough that steady load is never refused.
        env: { REDIS_URL: spare!.url, RATE_LIMIT_MAX: '1000000', READY_CHECK_TIMEOUT_MS: '300' },
      });
      const ready = async () => (await server.inject('/ready')).statusCode;
      expect(await ready()).toBe(200);
      let metrics = await readMetrics(server);
      expect(metricValue(metrics, 'dependency_up', { dependency: 'redis' })).toBe(1);

      const load = steadyLoad(server, '/', 20);
      try {
        await sleep(400);

        // --- Redis goes away mid-load.
        load.setPhase('outage');
        await spare!.stop();
        expect(await eventually(async () => (await ready()) === 503, 3000)).toBe(true);
        const down = await server.inject('/ready');
        expect(down.statusCode).toBe(503);
        const downBody = down.json<{ status: string; checks: Record<string, { status: string; error?: string }> }>();
        expect(downBody.status).toBe('unavailable');
        expect(downBody.checks.redis!.status).toBe('down');
        // Long enough for several reconnect attempts (100, 200, 400, 800 ms…).
        await sleep(1800);
        metrics = await readMetrics(server);
        expect(metricValue(metrics, 'dependency_up', { dependency: 'redis' })).toBe(0);
        expect(metricValue(metrics, 'dependency_state_changes_total', { dependency: 'redis', state: 'down' })).toBe(1);
        const lost = log.entries().filter((entry) => /Redis (connection lost|unreachable)/.test(String(entry.msg)));
        expect(lost).toHaveLength(1);
        expect(lost[0]!.level).toBe(40);

        // --- Redis comes back on the same port; the server is not restarted.
        await spare!.start();
        load.setPhase('recovered');
        expect(await eventually(async () => (await ready()) === 200, 6000, 50)).toBe(true);
        await sleep(300);
      } finally {
        await load.stop();
      }

      const up = await server.inject('/ready');
      expect(up.json<{ checks: Record<string, { status: string }> }>().checks.redis!.status).toBe('up');
      metrics = await readMetrics(server);
      expect(metricValue(metrics, 'dependency_up', { dependency: 'redis' })).toBe(1);
      expect(metricValue(metrics, 'dependency_state_changes_total', { dependency: 'redis', state: 'down' })).toBe(1);
      // The first connection and the recovery.
      expect(metricValue(metrics, 'dependency_state_changes_total', { dependency: 'redis', state: 'up' })).toBe(2);

      const restored = log.withMessage('Redis connection restored');
      expect(restored).toHaveLength(1);
      expect(
        log.entries().filter((entry) => /Redis (connection lost|unreachable)/.test(String(entry.msg))),
      ).toHaveLength(1);
      // Nothing was logged per request or per reconnect attempt: a handful of lines, not hundreds.
      // (The Redis client's warning and the rate limiter's own "store unavailable" one.)
      const problems = log
        .entries()
        .filter(
          (entry) =>
            (entry.level as number) >= 40 &&
            entry.msg !== 'request completed' &&
            !String(entry.msg).startsWith('configuration:'),
        );
      expect(problems.length, JSON.stringify(problems.map((p) => p.msg))).toBeLessThanOrEqual(2);
      // The Redis URL is logged, without anything secret in it.
      expect(log.text()).toContain(`127.0.0.1:${spare!.port}`);

      // Every page in every phase was served, promptly.
      const phases: Phase[] = ['up', 'outage', 'recovered'];
      for (const phase of phases) {
        const samples = load.samples.filter((sample) => sample.phase === phase);
        expect(samples.length, phase).toBeGreaterThan(20);
        const statuses = new Set(samples.map((sample) => sample.status));
        expect([...statuses], phase).toEqual([200]);
        const slowest = Math.max(...samples.map((sample) => sample.ms));
        expect(slowest, `${phase}: slowest page took ${Math.round(slowest)} ms`).toBeLessThan(1500);
      }
    },
  );
});
