import cluster from 'node:cluster';
import { loadServerConfig } from '../config/load-config.js';
import type { ComposableServer } from '../create-server.js';
import { runServer } from './run-server.js';

export interface RunAppOptions {
  readonly env?: Record<string, string | undefined>;
  /** Where the primary process reports worker crashes and restarts. */
  readonly log?: (message: string) => void;
}

/** A worker that dies within this long of starting is crashing at start-up: restarting it would loop. */
const MIN_UPTIME_MS = 5000;

/**
 * Runs the app in this process, or — with WEB_CONCURRENCY above 1 — as a primary process that
 * forks that many workers sharing the port (node:cluster). The primary restarts a worker that
 * crashes (unless it crashes at start-up, then it gives up with exit 1), and on SIGTERM/SIGINT
 * forwards the signal so every worker drains gracefully, then exits with the worst exit code.
 */
export async function runApp(createServer: () => Promise<ComposableServer>, options: RunAppOptions = {}): Promise<void> {
  const config = loadServerConfig(options.env ?? process.env);
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
  cluster.on('exit', (worker, code, signal) => {
    const uptime = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    worstExit = Math.max(worstExit, code ?? 1);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(worstExit);
      return;
    }
    if (uptime < MIN_UPTIME_MS) {
      log(`worker ${worker.process.pid} exited ${signal ?? code} ${uptime} ms after starting; not restarting, stopping the cluster`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: do not wait for the drain.
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  log(`starting ${config.workers} workers`);
  for (let i = 0; i < config.workers; i++) fork();
}
