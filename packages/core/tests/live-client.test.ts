import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createMockClock, createStore, Effect, type Reducer } from '../src/index.js';
import {
  backoffDelay,
  CloseCode,
  createFakeLiveTransport,
  createFakeOnline,
  createLazyLiveClient,
  createLiveClient,
  type ConnectionState,
  type LiveClient,
  type LiveEvent,
} from '../src/live/index.js';
import { createTestStore } from '../src/test/index.js';

interface State {
  readonly connection: ConnectionState;
  readonly comments: readonly string[];
  readonly readers: number;
  readonly acked: readonly string[];
  readonly failed: readonly string[];
  readonly refetches: number;
}

type Action =
  | { readonly type: 'started' }
  | { readonly type: 'stopped' }
  | { readonly type: 'live'; readonly event: LiveEvent }
  | { readonly type: 'commentPosted'; readonly body: string; readonly id: string };

const initialState: State = {
  connection: { status: 'closed' },
  comments: [],
  readers: 0,
  acked: [],
  failed: [],
  refetches: 0,
};

/** A feature as an app writes it: the connection and channel events are actions, the state is the UI's. */
function feature(live: LiveClient): Reducer<State, Action> {
  return (state, action) => {
    switch (action.type) {
      case 'started':
        return [
          state,
          Effect.batch(
            live.connect((event) => ({ type: 'live', event })),
            live.join('post/1'),
          ),
        ];
      case 'stopped':
        return [state, Effect.cancel('live')];
      case 'commentPosted':
        return [state, live.push('post/1', 'comment', { body: action.body }, action.id)];
      case 'live': {
        const { event } = action;
        switch (event.type) {
          case 'connection':
            return [{ ...state, connection: event.state }, Effect.none()];
          case 'event':
            return [{ ...state, comments: [...state.comments, (event.data as { body: string }).body] }, Effect.none()];
          case 'presence':
            return [{ ...state, readers: Object.keys(event.presence).length }, Effect.none()];
          case 'ack':
            return event.ok
              ? [{ ...state, acked: [...state.acked, event.id] }, Effect.none()]
              : [{ ...state, failed: [...state.failed, `${event.id}:${event.reason}`] }, Effect.none()];
          case 'refetch':
            return [{ ...state, refetches: state.refetches + 1 }, Effect.none()];
          default:
            return [state, Effect.none()];
        }
      }
    }
  };
}

function setup(options: { outboxSize?: number; heartbeatMs?: number } = {}) {
  const clock = createMockClock();
  const fake = createFakeLiveTransport();
  const online = createFakeOnline();
  const live = createLiveClient({
    url: '/live',
    transport: fake.transport,
    clock,
    random: () => 0.5,
    online,
    ...options,
  });
  const store = createTestStore({
    initialState,
    reducer: feature(live),
    dependencies: { clock },
    exhaustivity: 'off',
  });
  return { store, fake, online, live };
}

const joinFrames = (sent: readonly { type: string }[]) => sent.filter((frame) => frame.type === 'join');

describe('live client: connection as a store subscription', () => {
  it('connects, joins, turns channel events and presence into actions, and ignores replayed sequences', async () => {
    const { store, fake } = setup();
    await store.send({ type: 'started' });
    await store.receive('live', { connection: { status: 'connecting' } });
    const socket = fake.last();
    socket.open();
    await store.receive('live', { connection: { status: 'open' } });
    expect(socket.sent).toEqual([{ type: 'join', ref: 'j1', topic: 'post/1' }]);
    socket.receive({ type: 'reply', ref: 'j1', ok: true, seq: 4, epoch: 'e1' });
    socket.receive({ type: 'event', topic: 'post/1', seq: 4, event: 'comment', data: { body: 'old' } });
    socket.receive({ type: 'event', topic: 'post/1', seq: 5, event: 'comment', data: { body: 'hello' } });
    socket.receive({ type: 'event', topic: 'post/2', seq: 9, event: 'comment', data: { body: 'not joined' } });
    socket.receive({
      type: 'presence',
      topic: 'post/1',
      state: { 'user:1': [{ ref: 'a.1' }], 'anon:b.2': [{ ref: 'b.2' }] },
    });
    socket.receive({ type: 'presence', topic: 'post/1', joins: { 'user:1': [{ ref: 'a.3' }] } });
    await store.skipReceivedActions();
    expect(store.state).toMatchObject({ comments: ['hello'], readers: 2 });
    socket.receive({ type: 'presence', topic: 'post/1', leaves: { 'anon:b.2': [{ ref: 'b.2' }] } });
    await store.receive((action) => action.type === 'live' && action.event.type === 'presence', { readers: 1 });
    await store.send({ type: 'stopped' });
    expect(socket.closed).toBe(true);
    await store.finish();
  });

  it('reconnects with capped full-jitter back-off, resumes from the last sequence, and flushes the outbox in order with the same ids', async () => {
    const { store, fake } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j1', ok: true, seq: 0, epoch: 'e1' });
    fake.last().receive({ type: 'event', topic: 'post/1', seq: 1, event: 'comment', data: { body: 'one' } });
    await store.send({ type: 'commentPosted', body: 'sent then lost', id: 'c1' });
    expect(fake.last().sent.at(-1)).toMatchObject({ type: 'push', ref: 'c1' });

    fake.last().drop(1006);
    await store.receive((action) => action.type === 'live' && action.event.type === 'connection', {
      connection: { status: 'retrying', inMs: 250 },
    });
    await store.send({ type: 'commentPosted', body: 'written offline', id: 'c2' });
    await store.send({ type: 'commentPosted', body: 'and another', id: 'c3' });
    expect(fake.sockets).toHaveLength(1);
    await store.advanceTime(249);
    expect(fake.sockets).toHaveLength(1);
    await store.advanceTime(1);
    expect(fake.sockets).toHaveLength(2);

    const second = fake.last();
    second.open();
    expect(joinFrames(second.sent)).toEqual([{ type: 'join', ref: 'j2', topic: 'post/1', since: 1, epoch: 'e1' }]);
    expect(second.sent.filter((frame) => frame.type === 'push')).toEqual([]);
    second.receive({ type: 'reply', ref: 'j2', ok: true, seq: 1, epoch: 'e1' });
    const pushes = second.sent.filter((frame) => frame.type === 'push');
    expect(pushes.map((frame) => (frame as { ref: string }).ref)).toEqual(['c1', 'c2', 'c3']);
    second.receive({ type: 'event', topic: 'post/1', seq: 2, event: 'comment', data: { body: 'missed' } });
    for (const ref of ['c1', 'c2', 'c3']) second.receive({ type: 'reply', ref, ok: true });
    second.receive({ type: 'reply', ref: 'c1', ok: true });
    await store.receive((action) => action.type === 'live' && action.event.type === 'ack' && action.event.id === 'c3');
    expect(store.state.acked).toEqual(['c1', 'c2', 'c3']);
    expect(store.state.comments).toEqual(['one', 'missed']);

    second.drop(1006);
    await store.advanceTime(250);
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j3', ok: true, seq: 2, epoch: 'e1' });
    expect(fake.last().sent.filter((frame) => frame.type === 'push')).toEqual([]);
    await store.send({ type: 'stopped' });
  });

  it('a push the server is still running (in_progress) is asked again with the same id a second later', async () => {
    const { store, fake } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j1', ok: true, seq: 0, epoch: 'e1' });
    await store.send({ type: 'commentPosted', body: 'x', id: 'c7' });
    fake.last().receive({ type: 'reply', ref: 'c7', ok: false, reason: 'in_progress' });
    fake.last().receive({ type: 'reply', ref: 'c7', ok: false, reason: 'in_progress' });
    const pushes = () => fake.last().sent.filter((frame) => frame.type === 'push');
    expect(pushes()).toHaveLength(1);
    await store.advanceTime(1000);
    expect(pushes()).toEqual([pushes()[0], pushes()[0], pushes()[0]]);
    fake.last().receive({ type: 'reply', ref: 'c7', ok: true });
    await store.skipReceivedActions();
    expect(store.state).toMatchObject({ acked: ['c7'], failed: [] });
    fake.last().receive({ type: 'reply', ref: 'c7', ok: false, reason: 'in_progress' });
    await store.send({ type: 'stopped' });
    await store.finish();
  });

  it('a refetch reply becomes a refetch action; a refused join fails its pending pushes', async () => {
    const { store, fake } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j1', ok: true, seq: 40, epoch: 'e1', refetch: true });
    await store.receive((action) => action.type === 'live' && action.event.type === 'refetch', { refetches: 1 });
    fake.last().drop(1006);
    await store.send({ type: 'commentPosted', body: 'x', id: 'c9' });
    await store.advanceTime(250);
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j2', ok: false, reason: 'forbidden' });
    await store.receive((action) => action.type === 'live' && action.event.type === 'joinFailed');
    expect(store.state.failed).toEqual(['c9:forbidden']);
    await store.send({ type: 'stopped' });
  });

  it('pauses while offline and reconnects at once when back online', async () => {
    const { store, fake, online } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    online.set(false);
    fake.last().drop(1006);
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'offline' });
    await store.advanceTime(60_000);
    expect(fake.sockets).toHaveLength(1);
    online.set(true);
    expect(fake.sockets).toHaveLength(2);
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'connecting' });
    await store.send({ type: 'stopped' });
  });

  it('says offline as soon as the browser does, closing the open socket, and resumes its channels when back', async () => {
    const { store, fake, online } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    online.set(false);
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'offline' });
    expect(fake.last().closed).toBe(true);
    online.set(true);
    expect(fake.sockets).toHaveLength(2);
    fake.last().open();
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'open' });
    await store.send({ type: 'stopped' });
  });

  it('stops for good after a revocation or failed authentication (no reconnect)', async () => {
    const { store, fake } = setup();
    await store.send({ type: 'started' });
    fake.last().open();
    fake.last().drop(CloseCode.revoked);
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'closed', code: CloseCode.revoked });
    await store.advanceTime(120_000);
    expect(fake.sockets).toHaveLength(1);
    await store.send({ type: 'stopped' });
  });

  it('treats two heartbeats of silence as a dead link and reconnects', async () => {
    const { store, fake } = setup({ heartbeatMs: 1000 });
    await store.send({ type: 'started' });
    fake.last().open();
    await store.advanceTime(1000);
    expect(fake.last().sent.at(-1)).toEqual({ type: 'ping' });
    fake.last().receive({ type: 'pong' });
    await store.advanceTime(2000);
    expect(fake.sockets).toHaveLength(1);
    await store.advanceTime(1000);
    expect(fake.sockets[0]!.closed).toBe(true);
    await store.advanceTime(250);
    expect(fake.sockets).toHaveLength(2);
    await store.send({ type: 'stopped' });
  });

  it('a transport that throws counts as a failed attempt and is retried with back-off', async () => {
    const fake = createFakeLiveTransport();
    let refuse = true;
    const clock = createMockClock();
    const live = createLiveClient({
      url: '/live',
      clock,
      random: () => 0.5,
      online: createFakeOnline(),
      transport: (url) => {
        if (refuse) throw new SyntaxError('bad url');
        return fake.transport(url);
      },
    });
    const store = createTestStore({
      initialState,
      reducer: feature(live),
      dependencies: { clock },
      exhaustivity: 'off',
    });
    await store.send({ type: 'started' });
    await store.skipReceivedActions();
    expect(store.state.connection).toEqual({ status: 'retrying', inMs: 250 });
    refuse = false;
    await store.advanceTime(250);
    expect(fake.sockets).toHaveLength(1);
    await store.send({ type: 'stopped' });
  });

  it('with an access token, asks for token authentication and sends the token first', async () => {
    const fake = createFakeLiveTransport();
    const live = createLiveClient({
      url: '/live?v=1',
      transport: fake.transport,
      token: () => 'tok',
      online: createFakeOnline(),
    });
    const store = createTestStore({ initialState, reducer: feature(live), exhaustivity: 'off' });
    await store.send({ type: 'started' });
    fake.last().open();
    expect(fake.last().url).toBe('/live?v=1&auth=token');
    expect(fake.last().sent.slice(0, 2)).toEqual([
      { type: 'auth', token: 'tok' },
      { type: 'join', ref: 'j1', topic: 'post/1' },
    ]);
    await store.send({ type: 'stopped' });
  });

  it('refuses pushes past the outbox bound (outbox_full) and to channels not joined (not_joined)', async () => {
    const { store, fake } = setup({ outboxSize: 2 });
    await store.send({ type: 'started' });
    for (const id of ['a', 'b', 'c']) await store.send({ type: 'commentPosted', body: id, id });
    await store.skipReceivedActions();
    expect(store.state.failed).toEqual(['c:outbox_full']);
    fake.last().open();
    fake.last().receive({ type: 'reply', ref: 'j1', ok: false, reason: 'forbidden' });
    await store.send({ type: 'commentPosted', body: 'd', id: 'd' });
    await store.skipReceivedActions();
    expect(store.state.failed).toEqual(['c:outbox_full', 'a:forbidden', 'b:forbidden', 'd:not_joined']);
    await store.send({ type: 'stopped' });
  });
});

describe('live client: lazily loaded', () => {
  it('createLazyLiveClient loads the client on first use and runs the effects in order', async () => {
    const fake = createFakeLiveTransport();
    const live = createLazyLiveClient({ url: '/live', transport: fake.transport, online: createFakeOnline() });
    expect(live.state).toEqual({ status: 'closed' });
    const store = createTestStore({ initialState, reducer: feature(live), exhaustivity: 'off' });
    await store.send({ type: 'started' });
    await vi.waitFor(() => expect(fake.sockets).toHaveLength(1));
    fake.last().open();
    expect(fake.last().sent).toEqual([{ type: 'join', ref: 'j1', topic: 'post/1' }]);
    fake.last().receive({ type: 'reply', ref: 'j1', ok: true, seq: 0, epoch: 'e' });
    await store.send({ type: 'commentPosted', body: 'x', id: 'c1' });
    await vi.waitFor(() => expect(fake.last().sent.at(-1)).toMatchObject({ type: 'push', ref: 'c1' }));
    expect(live.state).toEqual({ status: 'open' });
    await store.send({ type: 'stopped' });
    expect(fake.last().closed).toBe(true);
  });
});

describe('live client: properties', () => {
  it('back-off is within [0, min(cap, base·2^attempt)) for any attempt and random draw', () => {
    fc.assert(
      fc.property(
        fc.nat(100),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 120_000 }),
        (attempt, draw, baseMs, capMs) => {
          const delay = backoffDelay(attempt, () => draw, { baseMs, capMs });
          const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
          return Number.isInteger(delay) && delay >= 0 && (delay < ceiling || delay === 0);
        },
      ),
    );
  });

  it('every push is sent in order per channel after any pattern of drops, and acknowledged exactly once', () => {
    type Step = { kind: 'push' } | { kind: 'drop' } | { kind: 'ackAll' };
    const step = fc.oneof(
      fc.constant<Step>({ kind: 'push' }),
      fc.constant<Step>({ kind: 'drop' }),
      fc.constant<Step>({ kind: 'ackAll' }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const clock = createMockClock();
        const fake = createFakeLiveTransport();
        const live = createLiveClient({ url: '/live', transport: fake.transport, clock, random: () => 0 });
        const store = createStore({ initialState, reducer: feature(live) });
        store.dispatch({ type: 'started' });
        let joins = 0;
        const up = () => {
          clock.advance(0);
          fake.last().open();
          fake.last().receive({ type: 'reply', ref: `j${++joins}`, ok: true, seq: 0, epoch: 'e' });
        };
        up();
        const pushed: string[] = [];
        for (const s of steps) {
          if (s.kind === 'push') {
            const id = `m${pushed.length}`;
            pushed.push(id);
            store.dispatch({ type: 'commentPosted', body: id, id });
          } else if (s.kind === 'drop') {
            fake.last().drop(1006);
            up();
          } else {
            for (const frame of fake.last().sent)
              if (frame.type === 'push') fake.last().receive({ type: 'reply', ref: frame.ref, ok: true });
          }
        }
        for (const frame of fake.last().sent)
          if (frame.type === 'push') fake.last().receive({ type: 'reply', ref: frame.ref, ok: true });
        const acks = store.state.acked;
        store.destroy();
        for (const socket of fake.sockets) {
          const ids = socket.sent
            .filter((frame) => frame.type === 'push')
            .map((frame) => (frame as { ref: string }).ref);
          const order = ids.map((id) => pushed.indexOf(id));
          if (order.some((value, index) => index > 0 && value <= order[index - 1]!)) return false;
        }
        return (
          acks.length === pushed.length && new Set(acks).size === acks.length && acks.every((id, i) => id === pushed[i])
        );
      }),
    );
  });
});
