import { afterEach, describe, expect, it } from 'vitest';
import { channel, CloseCode } from '../src/live/index.js';
import {
  connect,
  cookieAuthenticator,
  principal,
  refusedStatus,
  startLive,
  type LiveServerHandle,
} from './fixtures/live-helpers.js';

const sessions = { alice: principal(1, 'sa'), bob: principal(2, 'sb'), alice2: principal(1, 'sa2') };
const channels = [
  channel('post/:id', { authorize: (viewer, { id }) => viewer !== undefined && id !== 'secret' }),
  channel('public/:id', { anonymous: true }),
  channel('admin', { authorize: (viewer) => (viewer?.id === 99 ? true : 'admins only') }),
  channel('flaky/:n', {
    authorize: (_viewer, { n }) => {
      if (n === 'broken') throw new Error('permission store unreachable');
      return true;
    },
  }),
];

let server: LiveServerHandle | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('live: who may open a socket', () => {
  it('refuses an upgrade without a credential with 401, and with a bad session cookie with 401', async () => {
    server = await startLive({ channels, authenticators: [cookieAuthenticator(sessions)] });
    expect(await refusedStatus(server.url)).toBe(401);
    expect(await refusedStatus(server.url, { cookie: 'sid=forged' })).toBe(401);
    expect(await refusedStatus(server.url, { cookie: 'sid=alice' })).toBe(101);
  });

  it('refuses a cross-site origin with 403 before the upgrade, even with a valid cookie', async () => {
    server = await startLive({ channels, authenticators: [cookieAuthenticator(sessions)] });
    expect(await refusedStatus(server.url, { cookie: 'sid=alice', origin: 'https://evil.example' })).toBe(403);
    expect(await refusedStatus(server.url, { cookie: 'sid=alice', origin: 'null' })).toBe(403);
  });

  it('limits upgrades per client address (429)', async () => {
    server = await startLive({
      channels,
      authenticators: [cookieAuthenticator(sessions)],
      limits: { upgradesPerMinute: 3 },
    });
    const statuses = [];
    for (let index = 0; index < 5; index++) statuses.push(await refusedStatus(server.url, { cookie: 'sid=alice' }));
    expect(statuses).toEqual([101, 101, 101, 429, 429]);
  });

  it('accepts anonymous sockets only when allowed, and only on anonymous channels', async () => {
    server = await startLive({ channels, allowAnonymous: true });
    const client = await connect(server.url);
    expect(await client.join('public/1')).toMatchObject({ ok: true, seq: 0 });
    expect(await client.join('post/1')).toMatchObject({ ok: false, reason: 'unauthenticated' });
    client.socket.close();
  });

  it('an access token sent as the first frame authenticates; none within the deadline closes with 4001', async () => {
    server = await startLive({
      channels,
      verifyAccessToken: async (token) => {
        // As the token services do: an expired or forged token is an error, not undefined.
        if (token === 'expired') throw Object.assign(new Error('token expired'), { statusCode: 401 });
        return token === 'good' ? principal(7) : undefined;
      },
      limits: { authDeadlineMs: 200 },
    });
    expect(await refusedStatus(server.url)).toBe(401);
    const client = await connect(server.url, { query: '?auth=token' });
    expect(await client.join('post/1')).toMatchObject({ ok: false, reason: 'unauthenticated' });
    client.send({ type: 'auth', token: 'good' });
    await client.next((frame) => frame.ref === 'auth' && frame.ok === true);
    expect(await client.join('post/1')).toMatchObject({ ok: true });

    const silent = await connect(server.url, { query: '?auth=token' });
    const started = performance.now();
    expect(await silent.closed()).toBe(CloseCode.authFailed);
    expect(performance.now() - started).toBeLessThan(1000);

    for (const token of ['bad', 'expired']) {
      const wrong = await connect(server.url, { query: '?auth=token' });
      wrong.send({ type: 'auth', token });
      expect(await wrong.closed()).toBe(CloseCode.authFailed);
      expect(JSON.stringify(wrong.frames)).not.toContain('expired');
    }
    client.socket.close();
  });
});

describe('live: channel authorization', () => {
  it('refuses a channel the viewer may not join with a reason, and no event of it leaks', async () => {
    server = await startLive({ channels, authenticators: [cookieAuthenticator(sessions)] });
    const client = await connect(server.url, { cookie: 'sid=alice' });
    expect(await client.join('post/secret')).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(await client.join('admin')).toMatchObject({ ok: false, reason: 'admins only' });
    expect(await client.join('nothing/here/at/all')).toMatchObject({ ok: false, reason: 'unknown_channel' });
    expect(await client.join('post/1')).toMatchObject({ ok: true });
    await server.app.live.publish('post/secret', 'comment', { body: 'hidden' });
    await server.app.live.publish('admin', 'alert', { body: 'hidden' });
    await server.app.live.publish('post/1', 'comment', { body: 'visible' });
    const event = await client.next((frame) => frame.type === 'event');
    expect(event).toMatchObject({ topic: 'post/1', data: { body: 'visible' } });
    expect(JSON.stringify(client.frames)).not.toContain('hidden');
    client.socket.close();
  });

  it('an authorize that throws is an internal refusal that reveals nothing and leaves no half-joined channel', async () => {
    server = await startLive({
      channels,
      authenticators: [cookieAuthenticator(sessions)],
      limits: { maxSubscriptions: 1 },
    });
    const client = await connect(server.url, { cookie: 'sid=alice' });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await client.join('flaky/broken')).toEqual({
        type: 'reply',
        ref: expect.any(String),
        ok: false,
        reason: 'internal',
      });
    }
    expect(JSON.stringify(client.frames)).not.toContain('unreachable');
    await server.app.live.publish('flaky/broken', 'leak', {});
    expect(await client.join('flaky/1')).toMatchObject({ ok: true });
    expect(client.frames.some((frame) => frame.type === 'event')).toBe(false);
    client.socket.close();
  });

  it('closes every socket of a revoked session (4003) within 500 ms, and only those', async () => {
    server = await startLive({ channels, authenticators: [cookieAuthenticator(sessions)] });
    const revoked = await connect(server.url, { cookie: 'sid=alice' });
    const otherTab = await connect(server.url, { cookie: 'sid=alice' });
    const otherSession = await connect(server.url, { cookie: 'sid=alice2' });
    const bob = await connect(server.url, { cookie: 'sid=bob' });
    const started = performance.now();
    await server.app.live.disconnect({ sessionId: 'sa' });
    expect(await revoked.closed(500)).toBe(CloseCode.revoked);
    expect(await otherTab.closed(500)).toBe(CloseCode.revoked);
    expect(performance.now() - started).toBeLessThan(500);
    expect(otherSession.socket.readyState).toBe(otherSession.socket.OPEN);
    await server.app.live.disconnect({ viewerId: 1 });
    expect(await otherSession.closed(500)).toBe(CloseCode.revoked);
    expect(bob.socket.readyState).toBe(bob.socket.OPEN);
    bob.socket.close();
  });
});
