/**
 * The proof of graceful shutdown: the production blog as a real process under steady keep-alive
 * load, SIGTERM while slow requests are in flight. What the server accepted, it finishes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killChildrenAfterEach, sleep, startChild, type Child } from './support/ops-child.js';

killChildrenAfterEach();

interface Outcome {
  readonly id: string;
  readonly path: string;
  readonly sentAt: number;
  readonly endedAt: number;
  readonly status?: number;
  readonly error?: string;
}

interface Accepted {
  readonly url: string;
  readonly status: number | null;
}

let sequence = 0;

function send(origin: string, agent: Agent, path: string, timeoutMs = 15_000): Promise<Outcome> {
  const id = `req-${++sequence}`;
  const sentAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<Outcome, 'id' | 'path' | 'sentAt' | 'endedAt'>) => {
      if (settled) return;
      settled = true;
      resolve({ id, path, sentAt, endedAt: Date.now(), ...outcome });
    };
    const request = httpRequest(
      `${origin}${path}`,
      { agent, headers: { 'x-test-id': id, accept: path.startsWith('/api/') ? 'application/json' : 'text/html' } },
      (response) => {
        response.resume();
        response.once('end', () => finish({ status: response.statusCode! }));
        response.once('error', (error: NodeJS.ErrnoException) =>
          finish({ error: `response ${error.code ?? error.message}` }),
        );
        response.once('aborted', () => finish({ error: 'response aborted' }));
      },
    );
    request.setTimeout(timeoutMs, () =>
      request.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })),
    );
    request.once('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? error.message }));
    request.end();
  });
}

const PATHS = ['/', '/posts/1', '/api/posts', '/api/posts/1'];
const SLOW = new Set(['/posts/1', '/api/posts/1']);
/** Slow pages must really render: the page cache would answer them from memory. */
const NO_CACHE = { CACHE_ENABLED: 'false' };

/** `workers` loops, each on its own keep-alive agent, until the listener refuses them or `stop()`. */
function keepAliveLoad(origin: string, workers: number) {
  const outcomes: Outcome[] = [];
  const pending = new Map<string, { path: string; sentAt: number }>();
  const agents = Array.from({ length: workers }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  let stopped = false;
  const loops = agents.map(async (agent, worker) => {
    for (let i = worker; !stopped; i++) {
      const path = PATHS[i % PATHS.length]!;
      const placeholder = `pending-${worker}-${i}`;
      pending.set(placeholder, { path, sentAt: Date.now() });
      const outcome = await send(origin, agent, path);
      pending.delete(placeholder);
      outcomes.push(outcome);
      // Nothing listens any more: this worker is done.
      if (outcome.error === 'ECONNREFUSED') return;
    }
  });
  return {
    outcomes,
    pendingSlow: () => [...pending.values()].filter((p) => SLOW.has(p.path)),
    async stop() {
      stopped = true;
      await Promise.all(loops);
      for (const agent of agents) agent.destroy();
    },
    done: () => Promise.all(loops),
  };
}

describe('SIGTERM under steady keep-alive load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ops-shutdown-'));
  const acceptedFile = join(dir, 'accepted.json');
  let child: Child;
  let signalledAt = 0;
  let exit: Awaited<ReturnType<Child['exited']>>;
  let outcomes: Outcome[] = [];
  let accepted: Record<string, Accepted> = {};
  let inFlightAtSignal: Outcome[] = [];

  beforeAll(async () => {
    child = await startChild({
      env: { ...NO_CACHE, SHUTDOWN_TIMEOUT_MS: '10000', OPS_GET_POST_DELAY_MS: '600', OPS_ACCEPTED_FILE: acceptedFile },
    });
    const load = keepAliveLoad(child.origin, 10);
    try {
      await sleep(1500);
      // SIGTERM while slow pages are being served.
      const deadline = Date.now() + 3000;
      while (!load.pendingSlow().some((p) => Date.now() - p.sentAt > 100) && Date.now() < deadline) await sleep(10);
      signalledAt = Date.now();
      child.kill('SIGTERM');
      exit = await child.exited(15_000);
      // Every worker ends with ECONNREFUSED once the process is gone; bounded by the request timeout.
      await Promise.race([load.done(), sleep(5000)]);
    } finally {
      await load.stop();
    }
    outcomes = load.outcomes;
    inFlightAtSignal = outcomes.filter((o) => o.sentAt < signalledAt - 20 && o.endedAt > signalledAt);
    accepted = JSON.parse(readFileSync(acceptedFile, 'utf8')) as Record<string, Accepted>;
  }, 40_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits with code 0 well within SHUTDOWN_TIMEOUT_MS, logging the shutdown', () => {
    expect(exit).not.toBe('timeout');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(child.exitedAt()! - signalledAt).toBeLessThan(10_000);
    const start = child.logged('shutting down: no longer ready');
    expect(start).toHaveLength(1);
    expect(start[0]!.signal).toBe('SIGTERM');
    expect(start[0]!.inFlight as number).toBeGreaterThanOrEqual(1);
    expect(child.logged('shutdown complete')).toHaveLength(1);
    expect(child.logged('shutdown took longer')).toHaveLength(0);
    expect(child.stderr()).toBe('');
  });

  it('had real load: many completed requests before the signal, slow pages in flight at it', () => {
    const before = outcomes.filter((o) => o.endedAt < signalledAt);
    expect(before.length).toBeGreaterThan(25);
    expect(before.every((o) => o.status === 200)).toBe(true);
    expect(inFlightAtSignal.some((o) => o.path === '/posts/1')).toBe(true);
    // The slow ones really were slow (the repository delay), so the drain had work to wait for.
    const slowPage = outcomes.find((o) => o.path === '/posts/1' && o.endedAt < signalledAt)!;
    expect(slowPage.endedAt - slowPage.sentAt).toBeGreaterThanOrEqual(550);
  });

  it('finishes every request that was in flight at SIGTERM with its normal 200', () => {
    for (const outcome of inFlightAtSignal) {
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 200 });
      expect(accepted[outcome.id]?.status).toBe(200);
    }
  });

  it('never resets a request; refused connections were never accepted', () => {
    const failures = outcomes.filter((o) => o.error !== undefined);
    const refused = failures.filter((o) => o.error === 'ECONNREFUSED');
    // Kept-alive connections are only closed after a `Connection: close` answer or an idle grace, so
    // a request sent on one is never met by a reset (ops-drain-no-reset measures it under more load).
    expect(failures.filter((o) => o.error !== 'ECONNREFUSED')).toEqual([]);
    for (const [id, server] of Object.entries(accepted)) {
      expect(server.status, `${id} ${server.url} accepted but never answered`).not.toBeNull();
      const client = outcomes.find((o) => o.id === id);
      expect(client?.status, `${id} ${server.url}`).toBe(server.status);
    }
    // Each worker stopped on a refused connection: the listener was closed, not the process killed mid-request.
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const outcome of refused) expect(outcome.id in accepted).toBe(false);
  });

  // Responses sent during the drain say `Connection: close`, so a keep-alive client opens a new
  // connection (refused) instead of reusing one the server is closing and getting Fastify's drain 503.
  it('answers every request it accepted with 200, none with the drain 503', () => {
    expect(Object.keys(accepted).length).toBeGreaterThan(30);
    const drained = Object.entries(accepted).filter(([, server]) => server.status !== 200);
    expect(drained.map(([id, server]) => `${id} ${server.url} ${server.status}`)).toEqual([]);
    // The in-flight responses told their clients to go.
    expect(inFlightAtSignal.length).toBeGreaterThanOrEqual(1);
  });
});

describe('shutdown limits', () => {
  it('exits with code 1 past SHUTDOWN_TIMEOUT_MS and logs what was still running', { timeout: 20_000 }, async () => {
    const child = await startChild({ env: { ...NO_CACHE, SHUTDOWN_TIMEOUT_MS: '500', OPS_GET_POST_DELAY_MS: '3000' } });
    const agent = new Agent({ keepAlive: false });
    const slow = send(child.origin, agent, '/posts/1');
    await sleep(300);
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const exit = await child.exited(5000);
    expect(exit).toEqual({ code: 1, signal: null });
    const took = child.exitedAt()! - signalledAt;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(2500);
    const timeout = child.logged('shutdown took longer than 500 ms');
    expect(timeout).toHaveLength(1);
    const stillRunning = timeout[0]!.stillRunning as { id: string; method: string; url: string; ageMs: number }[];
    expect(stillRunning).toHaveLength(1);
    expect(stillRunning[0]).toMatchObject({ method: 'GET', url: '/posts/1' });
    expect(stillRunning[0]!.ageMs).toBeGreaterThanOrEqual(700);
    expect(child.logged('shutdown complete')).toHaveLength(0);
    // The request was cut off with the process: the client sees the connection go.
    expect((await slow).status).toBeUndefined();
    agent.destroy();
  });

  it('exits at once with code 1 on a second SIGTERM during the drain', { timeout: 20_000 }, async () => {
    const child = await startChild({
      env: { ...NO_CACHE, SHUTDOWN_TIMEOUT_MS: '10000', OPS_GET_POST_DELAY_MS: '3000' },
    });
    const agent = new Agent({ keepAlive: false });
    const slow = send(child.origin, agent, '/posts/1');
    await sleep(300);
    child.kill('SIGTERM');
    await sleep(150);
    expect(child.process.exitCode).toBeNull();
    const secondAt = Date.now();
    child.kill('SIGTERM');
    const exit = await child.exited(5000);
    expect(exit).toEqual({ code: 1, signal: null });
    expect(child.exitedAt()! - secondAt).toBeLessThan(1000);
    expect(child.logged('second SIGTERM during shutdown')).toHaveLength(1);
    expect(child.logged('shutdown complete')).toHaveLength(0);
    await slow;
    agent.destroy();
  });
});
