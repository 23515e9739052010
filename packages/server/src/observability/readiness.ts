import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** A dependency probe: resolves when the dependency answers, rejects (or times out) when not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<void>;

export interface ReadinessState {
  /** Flipped at the start of a graceful shutdown: load balancers stop sending traffic at once. */
  shuttingDown: boolean;
  readonly checks: Map<string, ReadinessCheck>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: ReadinessState;
  }
}

export interface ReadinessOptions {
  readonly timeoutMs: number;
  /** Called with each check's outcome, to keep dependency metrics and logs current. */
  readonly onResult?: (name: string, up: boolean, error?: unknown) => void;
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(controller.signal),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    controller.abort();
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET /ready: 200 when every configured dependency answers within the bound, 503 when one does not
 * or the server is shutting down. Each check's status and latency are in the JSON. Never cached,
 * never rate limited, and logged at debug.
 */
async function readinessPlugin(fastify: FastifyInstance, options: ReadinessOptions): Promise<void> {
  const state: ReadinessState = { shuttingDown: false, checks: new Map() };
  fastify.decorate('readiness', state);

  fastify.get('/ready', { config: { rateLimit: false } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    const entries = await Promise.all(
      [...state.checks].map(async ([name, check]) => {
        const result = await runCheck(check, options.timeoutMs);
        options.onResult?.(name, result.ok, result.error);
        return [
          name,
          {
            status: result.ok ? 'up' : 'down',
            latencyMs: result.latencyMs,
            ...(result.error ? { error: result.error } : {}),
          },
        ] as const;
      }),
    );
    const checks = Object.fromEntries(entries);
    const ready = !state.shuttingDown && entries.every(([, result]) => result.status === 'up');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : state.shuttingDown ? 'shutting-down' : 'unavailable', checks });
  });
}

export const readiness = fp(readinessPlugin, { name: '@composable-svelte/readiness', fastify: '5.x' });
