/**
 * server.shutdown() with clients that keep their connections alive, as browsers, proxies and load
 * balancers do. (The process-level proof, SIGTERM under load, is examples/blog/tests/ops-graceful-shutdown.)
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from '../src/config/load-config.js';
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
    closed: new Promise<void>((resolve) => socket.once('close', () => resolve())),
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

describe('server.shutdown() and idle keep-alive connections (SHUTDOWN_IDLE_GRACE_MS)', () => {
  async function idleAfterOneRequest(env: Record<string, string>) {
    const started = await startListening(env);
    const client = keepAliveConnection(started.port);
    await client.connected;
    client.get('/health');
    const deadline = Date.now() + 3000;
    while (client.responses().length === 0 && Date.now() < deadline) await sleep(5);
    expect(client.responses()[0]?.headers.connection).toBe('keep-alive');
    return { ...started, client };
  }

  it('answers a request that arrives on an idle connection during the grace, with Connection: close', async () => {
    const { server, client } = await idleAfterOneRequest({ SHUTDOWN_IDLE_GRACE_MS: '2000' });
    const shutdown = server.shutdown();
    // A client that sent its next request as the drain began: it is read and answered, not reset.
    await sleep(150);
    expect(client.closedAt()).toBeUndefined();
    client.get('/health');
    await Promise.race([client.closed, sleep(3000)]);
    const [, second] = client.responses();
    expect(second?.status).toBe(200);
    expect(second?.headers.connection).toBe('close');
    // The server closed the connection after that answer, well before the grace ran out.
    expect(client.closedAt()).toBeDefined();
    expect(await Promise.race([shutdown.then(() => 'done'), sleep(1500).then(() => 'waiting')])).toBe('done');
  });

  it('closes a connection that stays idle once the grace has passed, not at once', async () => {
    const { server, client } = await idleAfterOneRequest({ SHUTDOWN_IDLE_GRACE_MS: '400' });
    const startedAt = performance.now();
    await server.shutdown();
    const finishedAt = performance.now();
    await Promise.race([client.closed, sleep(1000)]);
    expect(client.closedAt()! - startedAt).toBeGreaterThanOrEqual(350);
    expect(finishedAt - startedAt).toBeGreaterThanOrEqual(350);
    expect(finishedAt - startedAt).toBeLessThan(3000);
    // Closed without a word: there was no request to answer.
    expect(client.responses()).toHaveLength(1);
  });

  it('with SHUTDOWN_IDLE_GRACE_MS=0 closes idle connections at once', async () => {
    const { server, client } = await idleAfterOneRequest({ SHUTDOWN_IDLE_GRACE_MS: '0' });
    const startedAt = performance.now();
    await server.shutdown();
    await Promise.race([client.closed, sleep(1000)]);
    expect(client.closedAt()! - startedAt).toBeLessThan(300);
  });

  it('with pipelined requests, only the last answer says Connection: close and every one is answered', async () => {
    const { server, port } = await startListening({ SHUTDOWN_IDLE_GRACE_MS: '2000' });
    const client = keepAliveConnection(port);
    await client.connected;
    client.get('/mode/slow');
    await untilInFlight(() => server.inFlight().length);
    const shutdown = server.shutdown();
    await sleep(20);
    // Sent before the first answer arrived, as a pipelining client does.
    client.get('/health');
    await Promise.race([client.closed, sleep(3000)]);
    const responses = client.responses();
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(responses[0]!.headers.connection).not.toBe('close');
    expect(responses[1]!.headers.connection).toBe('close');
    await shutdown;
  });

  it('refuses a grace that is not below SHUTDOWN_TIMEOUT_MS, and shortens the default for a short timeout', () => {
    const env = { SHUTDOWN_TIMEOUT_MS: '1000', SHUTDOWN_IDLE_GRACE_MS: '1000' };
    expect(() => loadServerConfig(env)).toThrow(ConfigError);
    expect(() => loadServerConfig(env)).toThrow(/SHUTDOWN_IDLE_GRACE_MS: must be below SHUTDOWN_TIMEOUT_MS/);
    expect(() => loadServerConfig({ SHUTDOWN_IDLE_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_IDLE_GRACE_MS/);
    expect(() => loadServerConfig({ SHUTDOWN_IDLE_GRACE_MS: '1.5s' })).toThrow(/SHUTDOWN_IDLE_GRACE_MS/);
    expect(loadServerConfig({}).shutdownIdleGraceMs).toBe(1000);
    expect(loadServerConfig({ SHUTDOWN_TIMEOUT_MS: '600' }).shutdownIdleGraceMs).toBe(300);
    expect(loadServerConfig({ SHUTDOWN_IDLE_GRACE_MS: '250' }).shutdownIdleGraceMs).toBe(250);
  });
});
