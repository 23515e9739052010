import cluster from 'node:cluster';
import type { TObject } from '@sinclair/typebox';
import { loadServerConfig } from '../config/load-config.js';
import type { ComposableServer } from '../create-server.js';
import { answerWorkersStoppedAccepting } from './cluster-listener.js';
import { runServer } from './run-server.js';

export interface RunAppOptions {
  readonly env?: Record<string, string | undefined>;
  /**
   * The app's env schema (`defineApp({ env })`): checked here too, so the first configuration error
   * lists the app's problems with the server's instead of stopping at the server's.
   */
  readonly appEnv?: TObject;
  /** Where the primary process reports worker crashes and restarts. */
  readonly log?: (message: string) => void;
}

export const SHUTDOWN_MESSAGE = { type: 'composable-svelte:shutdown' } as const;

/** A worker that dies within this long of starting is crashing at start-up: restarting it would loop. */
const MIN_UPTIME_MS = 5000;

/**
 * Runs the app in this process, or — with WEB_CONCURRENCY above 1 — as a primary process that
 * forks that many workers sharing the port (node:cluster). The primary restarts a worker that
 * crashes (unless it crashes at start-up, then it gives up with exit 1), and on SIGTERM/SIGINT
 * forwards the signal so every worker drains gracefully, then exits with the worst exit code.
 */
export async function runApp(
  createServer: () => Promise<ComposableServer>,
  options: RunAppOptions = {},
): Promise<void> {
  const config = loadServerConfig(options.env ?? process.env, {}, options.appEnv);
  if (config.workers <= 1 || !cluster.isPrimary) {
    await runServer(await createServer());
    return;
  }
  const log = options.log ?? ((message: string) => console.error(`[composable-svelte] ${message}`));
  let stopping = false;
  let worstExit = 0;
  const started = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
  };
  const remaining = () => Object.keys(cluster.workers ?? {}).length;
  // A message, not a signal: a worker that got a signal from its process group (systemd, Ctrl-C)
  // would take a forwarded one as the "second signal" and stop draining.
  const drainAll = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send(SHUTDOWN_MESSAGE);
  };
  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (!stopping && code === 0) {
      // A clean exit is a drain someone asked for (a signal to the whole group): finish the job.
      log(`worker ${worker.process.pid} stopped cleanly; draining the others`);
      stopping = true;
      drainAll();
    }
    if (stopping) {
      worstExit = Math.max(worstExit, code ?? 1);
      if (remaining() === 0) process.exit(worstExit);
      return;
    }
    if (uptime < MIN_UPTIME_MS) {
      log(
        `worker ${worker.process.pid} exited ${signal ?? code} ${uptime} ms after starting; not restarting, stopping the cluster`,
      );
      stopping = true;
      worstExit = 1;
      drainAll();
      if (remaining() === 0) process.exit(1);
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    fork();
  });
  let signalled = false;
  const stop = (signal: NodeJS.Signals) => {
    if (signalled) {
      // A second signal to the primary: do not wait for the drain.
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    signalled = true;
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining ${remaining()} workers`);
    drainAll();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  answerWorkersStoppedAccepting();
  log(`starting ${config.workers} workers`);
  for (let i = 0; i < config.workers; i++) fork();
}
