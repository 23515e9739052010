import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channel, CloseCode } from '../src/live/index.js';
import { connect, cookieAuthenticator, principal, startLive, type LiveServerHandle } from './fixtures/live-helpers.js';

const received: unknown[] = [];
const channels = [
  channel('room/:id', {
    messages: {
      say: Type.Object({ text: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
    },
    onMessage: (_context, message) => {
      received.push(message.data);
    },
  }),
];

let server: LiveServerHandle;
beforeAll(async () => {
  server = await startLive({
    channels,
    authenticators: [cookieAuthenticator({ a: principal(1) })],
    limits: { maxMessageBytes: 1024, messagesPerSecond: 20, maxSubscriptions: 3 },
  });
});
afterAll(() => server.close());

const open = async () => {
  const client = await connect(server.url, { cookie: 'sid=a' });
  expect(await client.join('room/1')).toMatchObject({ ok: true });
  return client;
};

/** The server still serves: a new socket joins and gets a published event. */
async function healthy() {
  const client = await open();
  await server.app.live.publish('room/1', 'ping', { n: 1 });
  await client.next((frame) => frame.type === 'event');
  client.socket.close();
}

describe('live: bad input over the socket', () => {
  it.each([
    ['non-JSON', 'hello', 'bad_json'],
    ['a JSON array', '[1,2,3]', 'unknown_type'],
    ['JSON null', 'null', 'unknown_type'],
    ['an unknown type', JSON.stringify({ type: 'subscribe', topic: 'room/1' }), 'unknown_type'],
    ['a join without ref', JSON.stringify({ type: 'join', topic: 'room/1' }), 'bad_frame:join'],
    ['a join with a numeric topic', JSON.stringify({ type: 'join', ref: 'r', topic: 5 }), 'bad_frame:join'],
    [
      'a push with a 1 kB event name',
      JSON.stringify({ type: 'push', ref: 'r', topic: 'x', event: 'e'.repeat(900) }),
      'bad_frame:push',
    ],
  ])('%s gets an error reply and the socket stays open', async (_name, text, reason) => {
    const client = await open();
    client.send(text);
    expect(await client.next((frame) => frame.type === 'error')).toEqual({ type: 'error', reason });
    expect(await client.join('room/2')).toMatchObject({ ok: true });
    client.socket.close();
  });

  it.each([
    ['a missing field', {}, 'invalid: /text'],
    ['a wrong type', { text: 5 }, 'invalid: /text'],
    ['an extra property', { text: 'hi', admin: true }, 'invalid: /admin'],
    ['a too long string', { text: 'x'.repeat(101) }, 'invalid: /text'],
  ])('a push with %s is refused with the failing path and never reaches the handler', async (_name, data, reason) => {
    const client = await open();
    const before = received.length;
    client.send({ type: 'push', ref: 'm1', topic: 'room/1', event: 'say', data });
    const reply = await client.next((frame) => frame.ref === 'm1');
    expect(reply).toMatchObject({ ok: false });
    expect(String(reply.reason)).toContain(reason);
    expect(received.length).toBe(before);
    client.socket.close();
  });

  it('refuses unknown messages, pushes to channels not joined, bad topics and too many subscriptions', async () => {
    const client = await open();
    client.send({ type: 'push', ref: 'a', topic: 'room/1', event: 'shout', data: {} });
    expect(await client.next((frame) => frame.ref === 'a')).toMatchObject({ ok: false, reason: 'unknown_message' });
    client.send({ type: 'push', ref: 'b', topic: 'room/9', event: 'say', data: { text: 'x' } });
    expect(await client.next((frame) => frame.ref === 'b')).toMatchObject({ ok: false, reason: 'not_joined' });
    expect(await client.join('room/<script>')).toMatchObject({ ok: false, reason: 'bad_topic' });
    expect(await client.join('room/1')).toMatchObject({ ok: false, reason: 'already_joined' });
    expect(await client.join('room/2')).toMatchObject({ ok: true });
    expect(await client.join('room/3')).toMatchObject({ ok: true });
    expect(await client.join('room/4')).toMatchObject({ ok: false, reason: 'too_many_subscriptions' });
    client.socket.close();
  });

  it('closes on a binary frame (1003), a frame over the size limit (1009) and a flood (4029)', async () => {
    const binary = await open();
    binary.socket.send(Buffer.from([1, 2, 3]));
    expect(await binary.closed()).toBe(CloseCode.unsupportedData);

    const huge = await open();
    huge.send({ type: 'push', ref: 'h', topic: 'room/1', event: 'say', data: { text: 'x'.repeat(5000) } });
    expect(await huge.closed()).toBe(CloseCode.tooBig);

    const flood = await open();
    for (let index = 0; index < 200; index++) flood.send({ type: 'ping' });
    expect(await flood.closed()).toBe(CloseCode.rateLimited);

    await healthy();
  });

  it('survives a random corpus of frames without crashing', async () => {
    const corpus = [
      '',
      '{',
      '"string"',
      '42',
      'true',
      '{"type":null}',
      '{"type":"join","ref":"","topic":""}',
      '{"type":"join","ref":"r","topic":"room/1","since":-1}',
      '{"type":"join","ref":"r","topic":"room/1","since":1.5}',
      '{"type":"leave","ref":"r","topic":"room/77"}',
      '{"type":"auth","token":"x"}',
      '{"__proto__":{"polluted":true},"type":"ping"}',
      '{"type":"push","ref":"r","topic":"room/1","event":"say","data":{"__proto__":{"text":"x"}}}',
      '\u0000\u0001',
      '{"type":"join","ref":"' + 'r'.repeat(65) + '","topic":"room/1"}',
    ];
    const client = await open();
    for (const text of corpus) client.send(text);
    await client.next((frame) => frame.ref === 'r' && frame.ok === false);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    client.socket.close();
    await healthy();
  });
});
