/**
 * server.shutdown() with clients that keep their connections alive, as browsers, proxies and load
 * balancers do. (The process-level proof, SIGTERM under load, is examples/blog/tests/ops-graceful-shutdown.)
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeOpsServersAfterEach, sleep, startOpsServer } from './support/ops-server.js';

closeOpsServersAfterEach();

/** A keep-alive HTTP/1.1 connection read by hand: what the server sends, and when it closes. */
function keepAliveConnection(port: number) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  let received = '';
  let closedAt: number | undefined;
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (closedAt = performance.now()));
  const responses = () =>
    [...received.matchAll(/HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/g)].map((match) => ({
      status: Number(match[1]),
      headers: Object.fromEntries(
        match[2]!
          .split('\r\n')
          .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      ) as Record<string, string>,
    }));
  return {
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
    get: (path: string) => socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`),
    responses,
    closedAt: () => closedAt,
    destroy: () => socket.destroy(),
  };
}

async function startListening(env: Record<string, string> = {}) {
  const started = await startOpsServer({ env: { PORT: '0', HOST: '127.0.0.1', ...env } });
  const address = await started.server.start();
  return { ...started, port: Number(new URL(address).port) };
}

async function untilInFlight(count: () => number, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (count() === 0) {
    if (Date.now() > deadline) throw new Error('the request never reached the server');
    await sleep(2);
  }
}

describe('server.shutdown()', () => {
  it('finishes the in-flight request, lists it while it runs, and refuses new connections at once', async () => {
    const { server, port } = await startListening();
    const client = keepAliveConnection(port);
    await client.connected;
    client.get('/mode/slow');
    await untilInFlight(() => server.inFlight().length);
    const [running] = server.inFlight();
    expect(running).toMatchObject({ method: 'GET', url: '/mode/slow' });
    expect(typeof running!.ageMs).toBe('number');

    const shutdown = server.shutdown();
    await sleep(0);
    // The listener no longer accepts: a new connection is refused while the old one is served.
    const refused = await new Promise<string>((resolve) => {
      const probe = connect({ host: '127.0.0.1', port });
      probe.once('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');

    const deadline = Date.now() + 3000;
    while (client.responses().length === 0 && Date.now() < deadline) await sleep(5);
    // The client goes away once answered.
    client.destroy();
    await shutdown;
    const responses = client.responses();
    expect(responses.map((response) => response.status)).toEqual([200]);
    expect(server.inFlight()).toEqual([]);
  });

  it('tells a keep-alive client to close after the in-flight response', async () => {
    const { server, port } = await startListening();
    const client = keepAliveConnection(port);
    await client.connected;
    client.get('/mode/slow');
    await untilInFlight(() => server.inFlight().length);
    const shutdown = server.shutdown();
    const deadline = Date.now() + 3000;
    while (client.responses().length === 0 && Date.now() < deadline) await sleep(5);
    client.destroy();
    await shutdown;
    const [response] = client.responses();
    expect(response?.status).toBe(200);
    expect(response?.headers.connection).toBe('close');
  });

  it('completes promptly after the last response even if the client keeps its connection open', async () => {
    const { server, port } = await startListening({ KEEP_ALIVE_TIMEOUT_MS: '2500' });
    const client = keepAliveConnection(port);
    await client.connected;
    client.get('/mode/slow');
    await untilInFlight(() => server.inFlight().length);
    let shutDownAt: number | undefined;
    const shutdown = server.shutdown().then(() => (shutDownAt = performance.now()));
    const deadline = Date.now() + 3000;
    while (client.responses().length === 0 && Date.now() < deadline) await sleep(5);
    const respondedAt = performance.now();
    expect(client.responses().map((response) => response.status)).toEqual([200]);
    // Bounded either way: the keep-alive timeout ends the wait after ~3.5 s.
    await Promise.race([shutdown, sleep(6000)]);
    client.destroy();
    await shutdown;
    expect(shutDownAt! - respondedAt).toBeLessThan(1000);
  });
});
