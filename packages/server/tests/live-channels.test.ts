import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpError } from '../src/errors/http-error.js';
import { channel, CloseCode, type PresenceState } from '../src/live/index.js';
import {
  connect,
  cookieAuthenticator,
  eventually,
  principal,
  sleep,
  startLive,
  type LiveServerHandle,
} from './fixtures/live-helpers.js';

const sessions = { a: principal(1), a2: principal(1, 's1b'), b: principal(2) };
const handled: string[] = [];
const channels = [
  channel('post/:id', {
    anonymous: true,
    presence: (context) => ({ name: context.principal?.viewer.name ?? 'guest' }),
    messages: { comment: Type.Object({ body: Type.String() }) },
    onMessage: async (context, message) => {
      if (message.data.body === 'forbidden') throw new HttpError(422, 'REFUSED', 'no such words');
      if (message.data.body === 'crash') throw new Error('database on fire');
      handled.push(`${context.topic}:${message.data.body}`);
      await sleep(5);
      return { id: handled.length };
    },
  }),
];

let server: LiveServerHandle | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const start = async (limits = {}) =>
  (server = await startLive({
    channels,
    allowAnonymous: true,
    authenticators: [cookieAuthenticator(sessions)],
    limits,
  }));

describe('live: channels', () => {
  it('delivers events published from the server in order with sequence numbers, until leave', async () => {
    const { url, app } = await start();
    const client = await connect(url, { cookie: 'sid=a' });
    expect(await client.join('post/1')).toMatchObject({ ok: true, seq: 0 });
    for (let n = 1; n <= 3; n++) expect(await app.live.publish('post/1', 'comment', { n })).toBe(n);
    await app.live.publish('post/2', 'comment', { n: 99 });
    const events = [];
    for (let n = 1; n <= 3; n++) events.push(await client.next((frame) => frame.type === 'event'));
    expect(events.map((event) => [event.seq, (event.data as { n: number }).n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    client.send({ type: 'leave', ref: 'bye', topic: 'post/1' });
    expect(await client.next((frame) => frame.ref === 'bye')).toMatchObject({ ok: true });
    await app.live.publish('post/1', 'comment', { n: 4 });
    await sleep(50);
    expect(client.frames.filter((frame) => frame.type === 'event')).toHaveLength(3);
    client.socket.close();
  });

  it('resumes from the last sequence with exactly the missed events, or says refetch when they are gone', async () => {
    const { url, app } = await start({ historySize: 5 });
    const first = await connect(url, { cookie: 'sid=a' });
    const joined = await first.join('post/1');
    await app.live.publish('post/1', 'comment', { n: 1 });
    await first.next((frame) => frame.type === 'event');
    first.socket.close();
    for (let n = 2; n <= 4; n++) await app.live.publish('post/1', 'comment', { n });

    const back = await connect(url, { cookie: 'sid=a' });
    expect(await back.join('post/1', { since: 1, epoch: joined.epoch })).toMatchObject({ ok: true, seq: 1 });
    const missed = [];
    for (let n = 2; n <= 4; n++) missed.push(await back.next((frame) => frame.type === 'event'));
    expect(missed.map((event) => event.seq)).toEqual([2, 3, 4]);
    await app.live.publish('post/1', 'comment', { n: 5 });
    expect(await back.next((frame) => frame.type === 'event')).toMatchObject({ seq: 5 });

    for (let n = 6; n <= 20; n++) await app.live.publish('post/1', 'comment', { n });
    const late = await connect(url, { cookie: 'sid=a' });
    expect(await late.join('post/1', { since: 2, epoch: joined.epoch })).toMatchObject({
      ok: true,
      refetch: true,
      seq: 20,
    });
    const otherEpoch = await connect(url, { cookie: 'sid=a' });
    expect(await otherEpoch.join('post/1', { since: 19, epoch: 'other' })).toMatchObject({ refetch: true, seq: 20 });
    await sleep(30);
    expect(late.frames.filter((frame) => frame.type === 'event')).toEqual([]);
    for (const client of [back, late, otherEpoch]) client.socket.close();
  });

  it('acknowledges pushes by id and runs a retried id once, with the same answer', async () => {
    const { url } = await start();
    const client = await connect(url, { cookie: 'sid=a' });
    await client.join('post/7');
    const push = (ref: string, body: string) =>
      client.send({ type: 'push', ref, topic: 'post/7', event: 'comment', data: { body } });
    push('m-1', 'hello');
    const first = await client.next((frame) => frame.ref === 'm-1');
    expect(first).toMatchObject({ ok: true, data: { id: expect.any(Number) } });
    client.socket.close();

    const retry = await connect(url, { cookie: 'sid=a' });
    await retry.join('post/7');
    retry.send({ type: 'push', ref: 'm-1', topic: 'post/7', event: 'comment', data: { body: 'hello' } });
    expect(await retry.next((frame) => frame.ref === 'm-1')).toEqual(first);
    expect(handled.filter((entry) => entry === 'post/7:hello')).toHaveLength(1);

    retry.send({ type: 'push', ref: 'm-2', topic: 'post/7', event: 'comment', data: { body: 'forbidden' } });
    expect(await retry.next((frame) => frame.ref === 'm-2')).toMatchObject({ ok: false, reason: 'no such words' });
    retry.send({ type: 'push', ref: 'm-3', topic: 'post/7', event: 'comment', data: { body: 'crash' } });
    expect(await retry.next((frame) => frame.ref === 'm-3')).toMatchObject({ ok: false, reason: 'internal' });
    expect(JSON.stringify(retry.frames)).not.toContain('fire');
    retry.socket.close();
  });

  it('handles the frames of one topic in the order sent: a push right behind its join, pushes in order', async () => {
    const { url } = await start();
    const client = await connect(url, { cookie: 'sid=a' });
    client.send({ type: 'join', ref: 'j', topic: 'post/8' });
    for (const body of ['one', 'two', 'three']) {
      client.send({ type: 'push', ref: `p-${body}`, topic: 'post/8', event: 'comment', data: { body } });
    }
    const replies = [];
    for (const ref of ['j', 'p-one', 'p-two', 'p-three']) replies.push(await client.next((frame) => frame.ref === ref));
    expect(replies.every((reply) => reply.ok === true)).toBe(true);
    expect(handled.filter((entry) => entry.startsWith('post/8:'))).toEqual([
      'post/8:one',
      'post/8:two',
      'post/8:three',
    ]);
    const order = client.frames.filter((frame) => frame.type === 'reply').map((frame) => frame.ref);
    expect(order).toEqual(['j', 'p-one', 'p-two', 'p-three']);
    client.socket.close();
  });

  it('presence: a viewer with two tabs counts once; anonymous readers count per connection; leaves are sent', async () => {
    const { url, app } = await start();
    const tab1 = await connect(url, { cookie: 'sid=a' });
    await tab1.join('post/3');
    const tab2 = await connect(url, { cookie: 'sid=a2' });
    await tab2.join('post/3');
    const guest = await connect(url);
    await guest.join('post/3');
    const state = (await guest.next((frame) => frame.type === 'presence' && frame.state !== undefined))
      .state as PresenceState;
    expect(Object.keys(state).sort()).toEqual(
      ['anon:' + state[Object.keys(state).find((k) => k.startsWith('anon:'))!]![0]!.ref, 'user:1'].sort(),
    );
    expect(state['user:1']).toHaveLength(2);
    expect(Object.keys(await app.live.presence('post/3'))).toHaveLength(2);

    tab2.socket.close();
    const leave = await tab1.next((frame) => frame.type === 'presence' && frame.leaves !== undefined);
    expect(Object.keys(leave.leaves as PresenceState)).toEqual(['user:1']);
    expect((await app.live.presence('post/3'))['user:1']).toHaveLength(1);
    tab1.socket.close();
    guest.socket.close();
  });

  it('drops a peer that stops answering pings within two heartbeats', async () => {
    const { url, app } = await start({ heartbeatMs: 100 });
    const dead = await connect(url, { cookie: 'sid=a' });
    dead.socket.pong = () => {};
    const started = performance.now();
    await dead.closed(1000);
    expect(performance.now() - started).toBeLessThan(350);
    expect(await eventually(() => app.live.connections === 0, 100)).toBe(true);
  });

  it('closes a slow consumer (4008) while another subscriber keeps receiving every event', async () => {
    const { url, app } = await start({ maxBufferedBytes: 65_536 });
    const slow = await connect(url, { cookie: 'sid=a' });
    const fast = await connect(url, { cookie: 'sid=b' });
    await slow.join('post/5');
    await fast.join('post/5');
    slow.socket.pause();
    const big = 'x'.repeat(16_384);
    for (let n = 1; n <= 400; n++) {
      await app.live.publish('post/5', 'comment', { n, big });
      if (n % 50 === 0) await sleep(1);
    }
    await fast.next((frame) => frame.seq === 400, 5000);
    expect(fast.frames.filter((frame) => frame.type === 'event')).toHaveLength(400);
    slow.socket.resume();
    expect(await slow.closed(5000)).toBe(CloseCode.slowConsumer);
    expect(await app.metrics.registry.getSingleMetricAsString('live_slow_consumers_dropped_total')).toMatch(/ 1$/);
    fast.socket.close();
  });

  it('tells every socket to go away (1001) when the server closes', async () => {
    const { url, app } = await start();
    const client = await connect(url, { cookie: 'sid=a' });
    await client.join('post/1');
    const closing = app.close();
    expect(await client.closed()).toBe(CloseCode.goingAway);
    await closing;
    server = undefined;
  });
});
