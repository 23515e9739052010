import cluster from 'node:cluster';
import closeWithGrace from 'close-with-grace';
import type { ComposableServer } from '../create-server.js';

/**
 * Runs a server as a process: listens, and turns SIGTERM/SIGINT into a graceful shutdown —
 * /ready answers 503 at once, the listener stops accepting, in-flight requests finish, each
 * kept-alive connection closes after its next answer (`Connection: close`, HTTP/2 GOAWAY) or once
 * idle for SHUTDOWN_IDLE_GRACE_MS (see drain.ts), onClose hooks close Redis and friends, exit 0.
 * Past SHUTDOWN_TIMEOUT_MS it logs what was still running and exits 1; a second signal exits at once.
 *
 * close-with-grace does the signal handling; unhandled rejections are taken out of its hands
 * because they are logged and counted here, never fatal. Uncaught exceptions shut down gracefully
 * unless UNCAUGHT_EXCEPTION=log.
 */
export async function runServer(server: ComposableServer): Promise<void> {
  const { config, log } = server;

  process.on('unhandledRejection', (reason) => {
    server.metrics.unhandled.inc({ kind: 'unhandledRejection' });
    log.error({ err: reason }, 'unhandled promise rejection; the process keeps serving');
  });
  if (config.uncaughtException === 'log') {
    process.on('uncaughtException', (error) => {
      server.metrics.unhandled.inc({ kind: 'uncaughtException' });
      log.error({ err: error }, 'uncaught exception; the process keeps serving (UNCAUGHT_EXCEPTION=log)');
    });
  }

  const grace = closeWithGrace(
    {
      delay: config.shutdownTimeoutMs,
      skip: config.uncaughtException === 'log' ? ['unhandledRejection', 'uncaughtException'] : ['unhandledRejection'],
      logger: { error: (message: unknown) => log.error(String(message)) },
      onTimeout: (delay) => {
        log.error(
          { stillRunning: server.inFlight() },
          `shutdown took longer than ${delay} ms; exiting with requests still running`,
        );
      },
      onSecondSignal: (signal) => {
        log.error(`second ${signal} during shutdown; exiting now`);
      },
    },
    async ({ signal, err }) => {
      if (err) {
        server.metrics.unhandled.inc({ kind: 'uncaughtException' });
        log.fatal({ err }, 'uncaught exception; shutting down gracefully');
      } else {
        log.info(
          { signal, inFlight: server.inFlight().length },
          'shutting down: no longer ready, finishing in-flight requests',
        );
      }
      await server.shutdown();
      log.info('shutdown complete');
    },
  );

  // In a cluster the primary asks for the drain by message; a drain already under way ignores it.
  if (cluster.isWorker) {
    process.on('message', (message: { type?: string } | undefined) => {
      if (message?.type === 'composable-svelte:shutdown' && !(closeWithGrace as { closing?: boolean }).closing)
        void grace.close();
    });
  }

  await server.start();
}
