/**
 * A drain loses nothing: the production blog as a real process, 24 keep-alive clients sending
 * back-to-back requests (reads and POSTs), SIGTERM in the middle. Every request that left a client
 * gets a complete response; no connection is reset, none hangs up; the process exits 0. Behind a
 * proxy a reset POST is a lost write, so this holds for HTTP/1.1, a node:cluster and HTTP/2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '../../../packages/server/tests/support/deploy-tls.js';
import { clusterFixture } from './support/deploy-cluster.js';
import { freePort } from './support/free-port.js';
import {
  killChildrenAfterEach,
  PRODUCTION_CHILD_ENV,
  sleep,
  spawnChild,
  startChild,
  type Child,
} from './support/ops-child.js';
import { http1DrainLoad, http2DrainLoad, type DrainLoad, type DrainTally } from './support/ops-drain-load.js';

killChildrenAfterEach();

const CLIENTS = 24;
/** Bounds the load: at most this many requests per client, whatever the timing. */
const MAX_PER_CLIENT = 400;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const ENV = {
  // Pages really render (no page cache) and each post read takes a while: requests are in flight at the signal.
  CACHE_ENABLED: 'false',
  OPS_GET_POST_DELAY_MS: '60',
  DEPLOY_GET_POST_DELAY_MS: '60',
  RATE_LIMIT_FORM_MAX: '1000000',
  SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
};

interface Run {
  readonly tally: DrainTally;
  readonly exit: Awaited<ReturnType<Child['exited']>>;
  readonly exitMs: number;
}

/** Load until every client has had a few answers, SIGTERM, then wait (bounded) for the exit and the clients. */
async function drainUnderLoad(child: Child, load: DrainLoad): Promise<Run> {
  try {
    const deadline = Date.now() + 15_000;
    while (load.tally.answered < CLIENTS * 6 && Date.now() < deadline) await sleep(10);
    const signalledAt = Date.now();
    load.signalled();
    child.kill('SIGTERM');
    const exit = await child.exited(SHUTDOWN_TIMEOUT_MS + 5000);
    await Promise.race([load.done(), sleep(5000)]);
    return { tally: load.tally, exit, exitMs: (child.exitedAt() ?? Date.now()) - signalledAt };
  } finally {
    await load.stop();
  }
}

function expectNothingLost(run: Run): void {
  const { tally } = run;
  expect(tally.failures, 'requests sent that got no complete response').toEqual([]);
  expect(tally.sent).toBe(tally.answered);
  // Real load on both sides of the signal, writes included.
  expect(tally.answered).toBeGreaterThan(CLIENTS * 6);
  expect(tally.answeredAfterSignal).toBeGreaterThanOrEqual(1);
  expect(tally.postsAnsweredAfterSignal).toBeGreaterThanOrEqual(1);
  // Every answer is the route's own (no drain 503).
  expect(Object.keys(tally.statuses).sort()).toEqual(['200', '201']);
  // Every client was told to go, none was cut off.
  expect(tally.toldToClose).toBe(CLIENTS);
  expect(run.exit).toEqual({ code: 0, signal: null });
  expect(run.exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
}

describe('SIGTERM under back-to-back keep-alive load loses no request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-drain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('HTTP/1.1: every request sent is answered, 0 resets, exit 0', { timeout: 60_000 }, async () => {
    const acceptedFile = join(dir, 'accepted-http1.json');
    const child = await startChild({ env: { ...ENV, OPS_ACCEPTED_FILE: acceptedFile } });
    const run = await drainUnderLoad(child, await http1DrainLoad(child.origin, CLIENTS, MAX_PER_CLIENT));
    console.info(`HTTP/1.1 drain: ${JSON.stringify(run.tally)}, exit after ${run.exitMs} ms`);
    expectNothingLost(run);
    // Once refused, a client never got in again: the listener closed at the signal.
    expect(run.tally.refused).toBe(CLIENTS);
    expect(child.logged('shutdown complete')).toHaveLength(1);
    // The server's own count agrees: every request it read, it answered, and the clients got each one.
    const accepted = JSON.parse(readFileSync(acceptedFile, 'utf8')) as Record<string, { status: number | null }>;
    const unanswered = Object.entries(accepted).filter(([, request]) => request.status === null);
    expect(unanswered).toEqual([]);
    // The CSRF token fetches carry no test id.
    expect(Object.keys(accepted)).toHaveLength(run.tally.answered);
  });

  it('node:cluster (WEB_CONCURRENCY=2): the same, across workers', { timeout: 60_000 }, async () => {
    const child = await startChild({ script: clusterFixture, env: { ...ENV, WEB_CONCURRENCY: '2' } });
    const run = await drainUnderLoad(child, await http1DrainLoad(child.origin, CLIENTS, MAX_PER_CLIENT));
    console.info(`cluster drain: ${JSON.stringify(run.tally)}, exit after ${run.exitMs} ms`);
    expectNothingLost(run);
    expect(run.tally.refused).toBe(CLIENTS);
    expect(child.logged('shutdown complete')).toHaveLength(2);
  });

  describe('HTTP/2 over TLS', () => {
    let cert: TestCertificate;
    beforeAll(async () => {
      cert = await createTestCertificate();
    });
    afterAll(() => cert.remove());

    it('every stream sent is answered, none refused or reset, exit 0', { timeout: 60_000 }, async () => {
      const port = await freePort();
      const child = spawnChild({
        port,
        env: {
          ...PRODUCTION_CHILD_ENV,
          ...ENV,
          PORT: String(port),
          TLS_CERT: cert.certPath,
          TLS_KEY: cert.keyPath,
        },
      });
      const origin = `https://localhost:${port}`;
      await untilHealthy(origin, cert.cert, child);
      const run = await drainUnderLoad(child, await http2DrainLoad(origin, cert.cert, CLIENTS, MAX_PER_CLIENT));
      console.info(`HTTP/2 drain: ${JSON.stringify(run.tally)}, exit after ${run.exitMs} ms`);
      expectNothingLost(run);
      expect(child.logged('shutdown complete')).toHaveLength(1);
    });
  });
});

async function untilHealthy(origin: string, ca: Buffer, child: Child): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await new Promise<number>((resolve) => {
      const request = httpsRequest(`${origin}/health`, { ca, agent: false, timeout: 1000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.once('error', () => resolve(0));
      request.once('timeout', () => request.destroy());
      request.end();
    });
    if (status === 200) return;
    if (child.process.exitCode !== null || Date.now() > deadline)
      throw new Error(`The TLS child did not become healthy.\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`);
    await sleep(50);
  }
}
