/**
 * The one test-server harness: createServer with a production base environment, the fixture
 * client build, and the servers closed for you. Suites differ only in options (app, routes,
 * environment, log capture, lifetime).
 */
import { rmSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import type { DestinationStream } from 'pino';
import { afterAll, afterEach } from 'vitest';
import {
  createServer,
  type AppDefinition,
  type ComposableServer,
  type SecurityOptions,
  type ServerConfig,
} from '../../src/index.js';
import type { ReadinessCheck } from '../../src/observability/readiness.js';
import type { AuthPluginOptions } from '../../src/auth/auth-plugin.js';
import type { Database } from '../../src/db/open-database.js';
import { fixtureApp, fixtureClientDir } from '../fixtures/app.js';

/** Production, quiet, with the secret and public URL production requires. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://example.test',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
};

export interface TestServerOptions {
  /** Defaults to the fixture app. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any app the suites define
  readonly app?: AppDefinition<any, any, any, any>;
  /** Replaces {@link PRODUCTION_ENV} as the base (e.g. a development environment). */
  readonly baseEnv?: Readonly<Record<string, string>>;
  /** Added over the base environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly routes?: FastifyPluginAsync;
  readonly config?: Partial<ServerConfig>;
  readonly security?: SecurityOptions;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  readonly logStream?: DestinationStream;
  /** Defaults to a fresh fixture client build, removed when the server is closed. */
  readonly clientDir?: string;
  readonly database?: Database<Record<string, unknown>>;
  readonly migrationsFolder?: string;
  readonly auth?: AuthPluginOptions;
  /** Where prerendered pages are read from (createServer's `prerendered`). */
  readonly prerendered?: string | false;
  /** 'file' for a server shared by the tests of a file (started in beforeAll). */
  readonly lifetime?: 'test' | 'file';
}

export interface TestServer {
  readonly server: ComposableServer;
  readonly clientDir: string;
}

interface Tracked {
  readonly server: ComposableServer;
  readonly ownDir?: string;
}

const perTest: Tracked[] = [];
const perFile: Tracked[] = [];

async function closeAll(tracked: Tracked[]): Promise<void> {
  await Promise.all(
    tracked.splice(0).map(async ({ server, ownDir }) => {
      await server.close().catch(() => undefined);
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    }),
  );
}

/** Closes what {@link startTestServer} started: after each test, and 'file' servers after the file. Call once per file. */
export function closeTestServers(): void {
  afterEach(() => closeAll(perTest));
  afterAll(() => closeAll(perFile));
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const clientDir = options.clientDir ?? fixtureClientDir();
  const server = await createServer({
    app: options.app ?? fixtureApp({ signals: [] }),
    clientDir,
    env: { ...(options.baseEnv ?? PRODUCTION_ENV), ...options.env },
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.config ? { config: options.config } : {}),
    ...(options.security ? { security: options.security } : {}),
    ...(options.readinessChecks ? { readinessChecks: options.readinessChecks } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.prerendered !== undefined ? { prerendered: options.prerendered } : {}),
  });
  (options.lifetime === 'file' ? perFile : perTest).push({
    server,
    ...(options.clientDir ? {} : { ownDir: clientDir }),
  });
  return { server, clientDir };
}

/** Listens on a free loopback port; for what only a real socket shows (Node's own answers, raw bytes). */
export async function listen(server: ComposableServer): Promise<number> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  return (server.server.address() as { port: number }).port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export { eventually } from '@composable-svelte/testing';
