import cluster from 'node:cluster';

const STOPPED_ACCEPTING = 'composable-svelte:stopped-accepting';
const PORT_CLOSED = 'composable-svelte:port-closed';

/**
 * In a cluster worker that has just closed its listener: resolves once the primary reports that no
 * worker accepts connections any more, or after `timeoutMs` (a worker draining alone while the
 * others keep serving is never told). At once outside a cluster.
 *
 * Why: with node:cluster the primary owns the port and hands connections to workers. A worker's
 * `close()` only asks the primary to stop sending it connections; a connection handed to a worker
 * that is closing goes back to the primary, which drops it once no worker is left. A client that
 * reconnects because a draining worker answered `Connection: close` could land exactly there and
 * lose the request it sent. Node sends a worker's internal close message and this one in order on
 * the same channel, so when the primary reads this one it has already taken the worker out.
 */
export function clusterListenerClosed(timeoutMs: number): Promise<void> {
  const send = process.send?.bind(process);
  if (!cluster.isWorker || !send) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    const onMessage = (message: { type?: string } | undefined) => {
      if (message?.type === PORT_CLOSED) done();
    };
    const timer = setTimeout(done, timeoutMs);
    process.on('message', onMessage);
    send({ type: STOPPED_ACCEPTING });
  });
}

/**
 * The primary's side of {@link clusterListenerClosed}: once every live worker has stopped accepting
 * (the shared port is then closed), tell them all.
 */
export function answerWorkersStoppedAccepting(): void {
  const stopped = new Set<number>();
  const answerWhenAllStopped = () => {
    const live = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    if (live.length === 0 || !live.every((worker) => stopped.has(worker.id))) return;
    for (const worker of live) if (worker.isConnected()) worker.send({ type: PORT_CLOSED });
    stopped.clear();
  };
  cluster.on('message', (worker, message: { type?: string } | undefined) => {
    if (message?.type !== STOPPED_ACCEPTING) return;
    stopped.add(worker.id);
    answerWhenAllStopped();
  });
  cluster.on('exit', (worker) => {
    stopped.delete(worker.id);
    answerWhenAllStopped();
  });
}
