/**
 * Errors nobody caught, in the production blog as a process: a stray rejected promise is logged and
 * counted and the process keeps serving; an uncaught exception shuts down gracefully (exit 1) unless
 * UNCAUGHT_EXCEPTION=log.
 */
import { describe, expect, it } from 'vitest';
import { killChildrenAfterEach, sleep, startChild, type Child } from './support/ops-child.js';

killChildrenAfterEach();

const METRICS_TOKEN = 'ops-metrics-token-0123456789';

async function waitForLog(child: Child, needle: string, timeoutMs = 5000): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + timeoutMs;
  while (child.logged(needle).length === 0 && Date.now() < deadline) await sleep(20);
  return child.logged(needle);
}

async function get(child: Child, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${child.origin}${path}`, {
    headers: { connection: 'close', ...headers },
    signal: AbortSignal.timeout(3000),
  });
  return { status: response.status, body: await response.text() };
}

async function unhandledCount(child: Child, kind: string): Promise<number | undefined> {
  const { status, body } = await get(child, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
  expect(status).toBe(200);
  const line = body.split('\n').find((l) => l.startsWith(`process_unhandled_errors_total{kind="${kind}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('an unhandled promise rejection', () => {
  it('is logged once and counted, and the process keeps serving', { timeout: 20_000 }, async () => {
    const child = await startChild({
      env: { METRICS_TOKEN, OPS_TRIGGER: 'unhandled-rejection', OPS_TRIGGER_DELAY_MS: '200' },
    });
    const lines = await waitForLog(child, 'unhandled promise rejection');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level).toBe(50);
    const err = lines[0]!.err as { message: string; stack: string };
    expect(err.message).toBe('ops fixture: a promise nobody awaited rejected');
    expect(err.stack).toMatch(/\n\s+at /);

    // Still serving, pages included, and still ready.
    await sleep(200);
    expect(child.process.exitCode).toBeNull();
    expect((await get(child, '/health')).status).toBe(200);
    expect((await get(child, '/ready')).status).toBe(200);
    expect((await get(child, '/posts/1')).status).toBe(200);
    expect(await unhandledCount(child, 'unhandledRejection')).toBe(1);
    expect(child.logged('unhandled promise rejection')).toHaveLength(1);

    // And it still shuts down cleanly.
    child.kill('SIGTERM');
    expect(await child.exited(10_000)).toEqual({ code: 0, signal: null });
  });
});

describe('an uncaught exception', () => {
  it('shuts down gracefully with exit code 1 by default', { timeout: 20_000 }, async () => {
    const child = await startChild({ env: { OPS_TRIGGER: 'uncaught-exception', OPS_TRIGGER_DELAY_MS: '200' } });
    const exit = await child.exited(10_000);
    expect(exit).toEqual({ code: 1, signal: null });
    const fatal = child.logged('uncaught exception; shutting down gracefully');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.level).toBe(60);
    expect((fatal[0]!.err as { message: string }).message).toBe('ops fixture: thrown from a timer');
    // The graceful path: the server was closed, not abandoned.
    expect(child.logged('shutdown complete')).toHaveLength(1);
  });

  it('is logged, counted and survived with UNCAUGHT_EXCEPTION=log', { timeout: 20_000 }, async () => {
    const child = await startChild({
      env: { METRICS_TOKEN, UNCAUGHT_EXCEPTION: 'log', OPS_TRIGGER: 'uncaught-exception', OPS_TRIGGER_DELAY_MS: '200' },
    });
    const lines = await waitForLog(child, 'uncaught exception; the process keeps serving');
    expect(lines).toHaveLength(1);
    expect((lines[0]!.err as { message: string }).message).toBe('ops fixture: thrown from a timer');
    await sleep(200);
    expect(child.process.exitCode).toBeNull();
    expect((await get(child, '/health')).status).toBe(200);
    expect((await get(child, '/posts/1')).status).toBe(200);
    expect(await unhandledCount(child, 'uncaughtException')).toBe(1);
    expect(child.logged('shutting down')).toHaveLength(0);
    child.kill('SIGTERM');
    expect(await child.exited(10_000)).toEqual({ code: 0, signal: null });
  });
});
