import type { FastifyPluginAsync } from 'fastify';
import type { ComposableServer, ServerConfig } from '../../src/index.js';
import type { ReadinessCheck } from '../../src/observability/readiness.js';
import { fixtureApp, type FixtureDependencies } from '../fixtures/app.js';
import { closeTestServers, PRODUCTION_ENV, sleep, startTestServer } from './test-server.js';

export { eventually, sleep } from './test-server.js';

/** The production environment the operations tests start from (info level: the log is under test). */
export const OPS_PRODUCTION_ENV: Readonly<Record<string, string>> = { ...PRODUCTION_ENV, LOG_LEVEL: 'info' };

/** Development: /metrics is open, so tests can read it without a token. */
export const OPS_DEVELOPMENT_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'info',
  PUBLIC_URL: 'https://example.test',
};

/** A pino destination that keeps every line written to it, raw and parsed. */
export interface LogSink {
  write(line: string): void;
  /** Everything written, verbatim. */
  text(): string;
  /** Each written line parsed as JSON (a line that is not JSON makes this throw: production writes JSON lines). */
  entries(): Record<string, unknown>[];
  /** Entries whose `msg` contains `needle`. */
  withMessage(needle: string): Record<string, unknown>[];
  /** Polls until `predicate` holds over the entries, or the deadline passes. */
  waitFor(predicate: (entries: Record<string, unknown>[]) => boolean, timeoutMs?: number): Promise<boolean>;
  clear(): void;
}

export function createLogSink(): LogSink {
  let chunks: string[] = [];
  const text = () => chunks.join('');
  const entries = () =>
    text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const sink: LogSink = {
    write(line: string) {
      chunks.push(line);
    },
    text,
    entries,
    withMessage: (needle) => entries().filter((entry) => typeof entry.msg === 'string' && entry.msg.includes(needle)),
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (predicate(entries())) return true;
        if (Date.now() > deadline) return false;
        await sleep(10);
      }
    },
    clear() {
      chunks = [];
    },
  };
  return sink;
}

export interface OpsStartOptions {
  readonly env?: Record<string, string>;
  /** Replaces the production base environment (e.g. {@link OPS_DEVELOPMENT_ENV}). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  readonly routes?: FastifyPluginAsync;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  readonly config?: Partial<ServerConfig>;
  /** Set false to write to stdout instead of capturing. */
  readonly capture?: boolean;
}

export interface OpsStarted {
  readonly server: ComposableServer;
  readonly log: LogSink;
  readonly deps: FixtureDependencies;
}

/** Closes every server {@link startOpsServer} created, after each test. Call once per file. */
export const closeOpsServersAfterEach = closeTestServers;

/** The fixture app on a fresh fixture client build, its log captured. */
export async function startOpsServer(options: OpsStartOptions = {}): Promise<OpsStarted> {
  const log = createLogSink();
  const deps: FixtureDependencies = { signals: [] };
  const { server } = await startTestServer({
    ...options,
    app: fixtureApp(deps),
    baseEnv: options.baseEnv ?? OPS_PRODUCTION_ENV,
    ...(options.capture === false ? {} : { logStream: log }),
  });
  return { server, log, deps };
}

/** The value of one Prometheus sample, e.g. `metricValue(text, 'http_errors_total', { code: 'NOT_FOUND' })`; undefined when absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found: Record<string, string> = {};
    for (const pair of (match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      found[pair[1]!] = pair[2]!;
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[4]);
  }
  return undefined;
}

/** Reads /metrics through inject (development servers expose it without a token). */
export async function readMetrics(server: ComposableServer): Promise<string> {
  const response = await server.inject('/metrics');
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}: ${response.body}`);
  return response.body;
}
