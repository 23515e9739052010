import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
  /** Bearer token (METRICS_TOKEN) that shows the per-check details to a caller off this host. */
  readonly token?: string;
  /** How long one run of the checks answers every call; default 1000 ms. */
  readonly cacheMs?: number;
  /** Called with each check's outcome, to keep dependency metrics and logs current. */
  readonly onResult?: (name: string, up: boolean, error?: unknown) => void;
  /** Checks known when the plugin is registered; plugins add theirs later through `fastify.readiness.checks`. */
  readonly checks?: Readonly<Record<string, ReadinessCheck>>;
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

interface CheckResult {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  readonly error?: string;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

/**
 * A caller on this host itself: the connection and the client address are loopback and no proxy
 * forwarded the request (a proxy on the same host would otherwise make every visitor "local").
 */
function isLocalCaller(request: FastifyRequest): boolean {
  return (
    LOOPBACK.test(request.socket.remoteAddress ?? '') &&
    LOOPBACK.test(request.ip) &&
    FORWARDING_HEADERS.every((name) => request.headers[name] === undefined)
  );
}

/** Compares digests, so neither the token's length nor its content leaks through timing. */
function bearerMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

/**
 * GET /ready: 200 when every configured dependency answers within the bound, 503 when one does not
 * or the server is shutting down. Callers on this host, or with the metrics token, also get each
 * check's status, latency and error; anyone else gets the status alone, never a driver's message
 * (addresses, ports, user names). The checks run at most once per `cacheMs`, shared by every call
 * meanwhile, so a flood of /ready cannot fill the database pool. Never cached by clients, never
 * rate limited, and logged at debug.
 */
async function readinessPlugin(fastify: FastifyInstance, options: ReadinessOptions): Promise<void> {
  const state: ReadinessState = { shuttingDown: false, checks: new Map(Object.entries(options.checks ?? {})) };
  fastify.decorate('readiness', state);
  const cacheMs = options.cacheMs ?? 1000;

  let latest: Promise<[string, CheckResult][]> | undefined;
  let running = false;
  let finishedAt = Number.NEGATIVE_INFINITY;

  async function runChecks(): Promise<[string, CheckResult][]> {
    return Promise.all(
      [...state.checks].map(async ([name, check]): Promise<[string, CheckResult]> => {
        const result = await runCheck(check, options.timeoutMs);
        options.onResult?.(name, result.ok, result.error);
        return [
          name,
          {
            status: result.ok ? 'up' : 'down',
            latencyMs: result.latencyMs,
            ...(result.error ? { error: result.error } : {}),
          },
        ];
      }),
    );
  }

  function results(): Promise<[string, CheckResult][]> {
    if (latest && (running || performance.now() - finishedAt < cacheMs)) return latest;
    running = true;
    latest = runChecks().finally(() => {
      running = false;
      finishedAt = performance.now();
    });
    return latest;
  }

  // Not compressed, as /health (see there).
  fastify.get('/ready', { compress: false, config: { rateLimit: false } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const entries = await results();
    const ready = !state.shuttingDown && entries.every(([, result]) => result.status === 'up');
    const status = ready ? 'ready' : state.shuttingDown ? 'shutting-down' : 'unavailable';
    const detailed =
      isLocalCaller(request) ||
      (options.token !== undefined && bearerMatches(request.headers.authorization, options.token));
    return reply.code(ready ? 200 : 503).send(detailed ? { status, checks: Object.fromEntries(entries) } : { status });
  });
}

export const readiness = fp(readinessPlugin, { name: '@composable-svelte/readiness', fastify: '5.x' });
