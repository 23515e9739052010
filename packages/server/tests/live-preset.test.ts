import { createTestCertificate } from '@composable-svelte/testing';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channel, CloseCode, live } from '../src/live/index.js';
import { freePort } from './support/deploy-tls.js';
import { closeTestServers, listen, startTestServer } from './support/test-server.js';
import { connect, cookieAuthenticator, principal, refusedStatus } from './fixtures/live-helpers.js';

closeTestServers();

const routes: FastifyPluginAsync = async (app) => {
  await app.register(live, {
    channels: [channel('post/:id', {})],
    authenticators: [cookieAuthenticator({ a: principal(1) })],
  });
  app.post('/api/posts/:id/comments', async (request) => {
    const { id } = request.params as { id: string };
    return { seq: await app.live.publish(`post/${id}`, 'comment', { body: 'new' }) };
  });
};

describe('live: inside the production preset (createServer)', () => {
  it('upgrades for PUBLIC_URL only, counts in /metrics, and sockets go away (1001) as the drain starts', async () => {
    const { server } = await startTestServer({ routes, security: { csrf: false } });
    const port = await listen(server);
    const url = `ws://127.0.0.1:${port}/live`;
    expect(await refusedStatus(url, { cookie: 'sid=a', origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(url, { origin: 'https://example.test' })).toBe(401);
    const client = await connect(url, { cookie: 'sid=a', origin: 'https://example.test' });
    expect(await client.join('post/1')).toMatchObject({ ok: true });

    const response = await fetch(`http://127.0.0.1:${port}/api/posts/1/comments`, { method: 'POST' });
    expect(await response.json()).toEqual({ seq: 1 });
    expect(await client.next((frame) => frame.type === 'event')).toMatchObject({ data: { body: 'new' } });

    const metrics = await server.metrics.registry.metrics();
    expect(metrics).toMatch(/^live_connections 1$/m);
    expect(metrics).toMatch(/^live_messages_out_total [1-9]/m);

    const started = performance.now();
    const shutdown = server.shutdown();
    expect(await client.closed()).toBe(CloseCode.goingAway);
    expect(performance.now() - started).toBeLessThan(1000);
    await shutdown;
  });

  it('upgrades over TLS too (HTTP/2 listener with its HTTP/1.1 fallback, where browsers open WebSockets)', async () => {
    const cert = await createTestCertificate();
    try {
      const port = await freePort();
      const { server } = await startTestServer({
        routes,
        env: {
          TLS_CERT: cert.certPath,
          TLS_KEY: cert.keyPath,
          PUBLIC_URL: `https://localhost:${port}`,
          HOST: '127.0.0.1',
          PORT: String(port),
        },
      });
      await server.start();
      const socket = new WebSocket(`wss://localhost:${port}/live`, {
        ca: cert.cert,
        headers: { cookie: 'sid=a' },
        origin: `https://localhost:${port}`,
      });
      const reply = await new Promise((resolve, reject) => {
        socket.once('error', reject);
        socket.once('open', () => socket.send(JSON.stringify({ type: 'join', ref: 'j', topic: 'post/1' })));
        socket.once('message', (data) => resolve(JSON.parse(String(data))));
      });
      expect(reply).toMatchObject({ type: 'reply', ref: 'j', ok: true });
      socket.close();
    } finally {
      cert.remove();
    }
  }, 20_000);
});
