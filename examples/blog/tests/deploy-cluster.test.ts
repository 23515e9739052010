/**
 * WEB_CONCURRENCY > 1: the production blog (dist/server/entry.js, runApp) as a primary process
 * forking workers that share the port. The primary validates the configuration before forking,
 * replaces a worker that crashes after start-up, forwards SIGTERM so every worker drains, and exits
 * with the worst worker exit code, leaving no worker behind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  clusterFixture,
  destroyClusters,
  eventually,
  get,
  isAlive,
  portAnswers,
  sleep,
  spawnCluster,
  startCluster,
  type ClusterProcess,
  type Exit,
} from './support/deploy-cluster.js';

afterEach(async () => {
  await destroyClusters();
});

/** How long the primary waits before it counts a worker's death as a crash at start-up (run-app.ts). */
const MIN_UPTIME_MS = 5000;

/** `count` GETs, each on its own connection, all of which must answer 200. */
async function requestMany(cluster: ClusterProcess, path: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await get(cluster.port, path, { headers: { accept: 'application/json' } });
    expect(reply.status, `${path} #${i}`).toBe(200);
  }
}

/** The pids that logged `request completed` for `path`, once `count` such lines have been written. */
async function pidsServing(cluster: ClusterProcess, path: string, count: number): Promise<number[]> {
  const lines = () => cluster.logLines().filter((line) => line.msg === 'request completed' && line.url === path);
  await eventually(() => lines().length >= count, 5000);
  return lines().map((line) => line.pid as number);
}

describe('WEB_CONCURRENCY=2: the blog as a cluster', () => {
  it('forks 2 workers that share the port, and SIGTERM drains both and exits 0 with no worker left', async () => {
    const cluster = await startCluster({ env: { WEB_CONCURRENCY: '2' }, workers: 2 });

    expect(
      cluster.primaryLines().filter((line) => line.includes('starting 2 workers')),
      cluster.output(),
    ).toHaveLength(1);
    const workers = [...new Set(cluster.listeningWorkers().map((worker) => worker.pid))];
    expect(workers).toHaveLength(2);
    expect(workers).not.toContain(cluster.pid);
    expect(workers.every(isAlive)).toBe(true);

    for (let i = 0; i < 5; i++) expect((await get(cluster.port, '/health')).status).toBe(200);

    // /health is logged at debug; an API read is logged at info with the pid of the worker that served it.
    await requestMany(cluster, '/api/posts', 40);
    const served = await pidsServing(cluster, '/api/posts', 40);
    expect(served).toHaveLength(40);
    expect(new Set(served), 'both workers take connections').toEqual(new Set(workers));
    expect(served).not.toContain(cluster.pid);

    const signalledAt = Date.now();
    cluster.kill('SIGTERM');
    const exit = await cluster.exited(15_000);
    expect(exit, cluster.output()).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    for (const pid of workers) {
      const drained = cluster.logLines().filter((line) => line.pid === pid && line.msg === 'shutdown complete');
      expect(drained, `worker ${pid} drained\n${cluster.output()}`).toHaveLength(1);
    }
    expect(await eventually(() => workers.every((pid) => !isAlive(pid)), 3000), 'no orphan workers').toBe(true);
    expect(await portAnswers(cluster.port)).toBe(false);
  });

  describe('a worker killed after start-up', () => {
    let restartExit: Exit | 'timeout' | undefined;

    it('is replaced by a new worker while /health keeps answering', async () => {
      const cluster = await startCluster({ env: { WEB_CONCURRENCY: '2' }, workers: 2 });
      const original = cluster.listeningWorkers();
      const workers = [...new Set(original.map((worker) => worker.pid))];
      const victim = original[0]!;

      // Past the minimum uptime (counted from the fork, which came before the listening line).
      await sleep(Math.max(0, victim.seenAt + MIN_UPTIME_MS + 500 - Date.now()));
      process.kill(victim.pid, 'SIGKILL');
      // A connection the primary hands to the worker in the instant it dies is lost with it (that
      // is node:cluster, not the app): give the primary a moment to notice, then keep asking while
      // it forks the replacement.
      await sleep(100);
      const outcomes: string[] = [];
      const replaced = () => cluster.listeningWorkers().some((worker) => !workers.includes(worker.pid));
      const deadline = Date.now() + 15_000;
      while (!replaced() && Date.now() < deadline) {
        outcomes.push(
          await get(cluster.port, '/health', { timeoutMs: 3000 }).then(
            (reply) => String(reply.status),
            (error: Error) => error.message,
          ),
        );
        await sleep(50);
      }
      expect(replaced(), cluster.output()).toBe(true);
      expect(
        outcomes.filter((outcome) => outcome !== '200'),
        'every /health during the restart',
      ).toEqual([]);
      expect(await eventually(() => !isAlive(victim.pid), 3000)).toBe(true);

      const notice = cluster
        .primaryLines()
        .filter((line) => line.includes(`worker ${victim.pid} exited (SIGKILL); starting a new one`));
      expect(notice, cluster.output()).toHaveLength(1);
      const replacement = cluster.listeningWorkers().find((worker) => !workers.includes(worker.pid))!;
      expect(isAlive(replacement.pid)).toBe(true);
      // Only one replacement: no restart loop.
      expect(new Set(cluster.listeningWorkers().map((worker) => worker.pid)).size).toBe(3);

      // The new worker serves requests too.
      await requestMany(cluster, '/api/posts', 30);
      const served = new Set(await pidsServing(cluster, '/api/posts', 30));
      expect(served.has(replacement.pid), `pids serving: ${[...served].join(', ')}`).toBe(true);
      expect(served.has(victim.pid)).toBe(false);

      cluster.kill('SIGTERM');
      restartExit = await cluster.exited(15_000);
      expect(restartExit, cluster.output()).not.toBe('timeout');
      const everyWorker = [...cluster.workerPids()];
      expect(await eventually(() => everyWorker.every((pid) => !isAlive(pid)), 3000), 'no orphan workers').toBe(true);
    }, 45_000);

    it('the later SIGTERM drain still exits 0: a crash already replaced does not count against it', () => {
      expect(restartExit).toEqual({ code: 0, signal: null });
    });
  });

  it('a configuration error is reported once by the primary, which exits 1 without forking', async () => {
    for (const env of [{ WEB_CONCURRENCY: '2', PORT: 'abc' }, { WEB_CONCURRENCY: 'abc' }] as Record<string, string>[]) {
      const cluster = await spawnCluster({ env });
      const startedAt = Date.now();
      const exit = await cluster.exited(10_000);
      expect(exit, cluster.output()).toEqual({ code: 1, signal: null });
      expect(Date.now() - startedAt).toBeLessThan(5000);
      const name = 'PORT' in env ? 'PORT' : 'WEB_CONCURRENCY';
      const mentions = cluster
        .stderr()
        .split('\n')
        .filter((line) => line.includes(`${name}: `));
      expect(mentions, cluster.output()).toHaveLength(1);
      expect(cluster.stderr().match(/Invalid configuration/g), cluster.output()).toHaveLength(1);
      expect(cluster.stderr()).not.toMatch(/\n\s+at /);
      expect(
        cluster.primaryLines().some((line) => line.includes('starting')),
        cluster.output(),
      ).toBe(false);
      expect(cluster.workerPids().size, 'no worker ever logged').toBe(0);
    }
  });

  it('a worker that dies at start-up stops the cluster with exit 1 instead of restarting it in a loop', async () => {
    // The files look like PEM (so the primary's validation passes) but hold no certificate: each
    // worker fails as soon as it builds the TLS server.
    const dir = mkdtempSync(join(tmpdir(), 'cs-deploy-badcert-'));
    try {
      const bogus = join(dir, 'bogus.pem');
      writeFileSync(bogus, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
      const cluster = await spawnCluster({ env: { WEB_CONCURRENCY: '2', TLS_CERT: bogus, TLS_KEY: bogus } });
      const exit = await cluster.exited(15_000);
      expect(exit, cluster.output()).toEqual({ code: 1, signal: null });
      expect(cluster.primaryLines().filter((line) => line.includes('starting 2 workers'))).toHaveLength(1);
      expect(
        cluster.primaryLines().filter((line) => /not restarting, stopping the cluster/.test(line)),
        cluster.output(),
      ).toHaveLength(1);
      expect(
        cluster.primaryLines().some((line) => line.includes('starting a new one')),
        cluster.output(),
      ).toBe(false);
      expect(cluster.listeningWorkers()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('SIGTERM to the primary alone lets a slow request in flight finish before the workers exit', async () => {
    const cluster = await startCluster({
      script: clusterFixture,
      env: { WEB_CONCURRENCY: '2', DEPLOY_GET_POST_DELAY_MS: '1500', CACHE_ENABLED: 'false' },
      workers: 2,
    });
    const slow = get(cluster.port, '/api/posts/1', { headers: { accept: 'application/json' }, timeoutMs: 10_000 });
    await sleep(300);
    cluster.kill('SIGTERM');
    const reply = await slow;
    expect(reply.status, cluster.output()).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ post: { id: 1 } });
    expect(await cluster.exited(15_000), cluster.output()).toEqual({ code: 0, signal: null });
  });

  it('SIGTERM reaching the workers as well as the primary (process-group signal) still drains the request in flight', async () => {
    const cluster = await startCluster({
      script: clusterFixture,
      env: { WEB_CONCURRENCY: '2', DEPLOY_GET_POST_DELAY_MS: '1500', CACHE_ENABLED: 'false' },
      workers: 2,
    });
    const workers = [...new Set(cluster.listeningWorkers().map((worker) => worker.pid))];
    const slow = get(cluster.port, '/api/posts/1', { headers: { accept: 'application/json' }, timeoutMs: 10_000 }).then(
      (reply) => reply.status,
      (error: Error) => error.message,
    );
    await sleep(300);
    for (const pid of workers) process.kill(pid, 'SIGTERM');
    await sleep(100);
    cluster.kill('SIGTERM');
    const status = await slow;
    const exit = await cluster.exited(15_000);
    expect({ status, exit }).toEqual({ status: 200, exit: { code: 0, signal: null } });
  });
});

afterAll(async () => {
  await destroyClusters();
});
