import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createStore, Effect, type Reducer } from '@composable-svelte/core';
import { createLiveClient, type LiveEvent, type LiveSocket } from '@composable-svelte/core/live';
import { createRedisClient } from '../src/stores/redis-client.js';
import { channel } from '../src/live/index.js';
import {
  cookieAuthenticator,
  eventually,
  ORIGIN,
  principal,
  startLive,
  type LiveServerHandle,
} from './fixtures/live-helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

interface State {
  readonly comments: readonly number[];
  readonly acks: readonly string[];
  readonly statuses: readonly string[];
}
type Action =
  | { readonly type: 'opened' }
  | { readonly type: 'send'; readonly id: string }
  | { readonly type: 'live'; readonly event: LiveEvent };

const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('live: the browser client against two real instances', () => {
  it('an abrupt loss of its instance: reconnects to the other, misses no event, and a push whose ack was lost runs once', async () => {
    const prefix = `test:live:${randomUUID()}:`;
    let gate: (() => void) | undefined;
    let handled = 0;
    const channels = [
      channel('post/:id', {
        messages: { comment: Type.Object({ body: Type.String() }) },
        onMessage: async () => {
          await new Promise<void>((resolve) => (gate = resolve));
          return { n: ++handled };
        },
      }),
    ];
    const instance = async () => {
      const redis = createRedisClient(REDIS_URL);
      const server = await startLive(
        { channels, keyPrefix: prefix, authenticators: [cookieAuthenticator({ a: principal(1) })] },
        redis,
      );
      cleanup.push(async () => {
        await server.close();
        redis.disconnect();
      });
      return server;
    };
    const a: LiveServerHandle = await instance();
    const b: LiveServerHandle = await instance();
    cleanup.push(async () => {
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    });

    // Where a load balancer would send the next connection.
    let target = a.url;
    const live = createLiveClient({
      url: '/live',
      transport: () => new WebSocket(target, { headers: { cookie: 'sid=a' }, origin: ORIGIN }) as unknown as LiveSocket,
      random: () => 0.99,
      backoff: { baseMs: 200, capMs: 400 },
    });
    const reducer: Reducer<State, Action> = (state, action) => {
      switch (action.type) {
        case 'opened':
          return [
            state,
            Effect.batch(
              live.connect((event) => ({ type: 'live', event })),
              live.join('post/1'),
            ),
          ];
        case 'send':
          return [state, live.push('post/1', 'comment', { body: 'hi' }, action.id)];
        case 'live': {
          const { event } = action;
          if (event.type === 'event')
            return [{ ...state, comments: [...state.comments, (event.data as { n: number }).n] }, Effect.none()];
          if (event.type === 'ack' && event.ok) return [{ ...state, acks: [...state.acks, event.id] }, Effect.none()];
          if (event.type === 'connection')
            return [{ ...state, statuses: [...state.statuses, event.state.status] }, Effect.none()];
          return [state, Effect.none()];
        }
      }
    };
    const store = createStore({ initialState: { comments: [], acks: [], statuses: [] }, reducer });
    cleanup.push(() => store.destroy());
    store.dispatch({ type: 'opened' });
    expect(await eventually(() => a.app.live.connections === 1 && store.state.statuses.at(-1) === 'open')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));

    await b.app.live.publish('post/1', 'comment', { n: 1 });
    expect(await eventually(() => store.state.comments.length === 1)).toBe(true);

    store.dispatch({ type: 'send', id: 'comment-1' });
    expect(await eventually(() => gate !== undefined)).toBe(true);
    // Instance A vanishes: no close frame reaches the client, and the push's ack is lost.
    target = b.url;
    for (const socket of a.app.websocketServer.clients) socket.terminate();
    gate!();
    for (let n = 2; n <= 4; n++) await b.app.live.publish('post/1', 'comment', { n });

    expect(await eventually(() => store.state.acks.length === 1 && store.state.comments.length === 4, 3000)).toBe(true);
    await b.app.live.publish('post/1', 'comment', { n: 5 });
    expect(await eventually(() => store.state.comments.length === 5)).toBe(true);
    expect(store.state.comments).toEqual([1, 2, 3, 4, 5]);
    expect(store.state.acks).toEqual(['comment-1']);
    expect(handled).toBe(1);
    expect(store.state.statuses).toEqual(['connecting', 'open', 'retrying', 'connecting', 'open']);
    expect(b.app.live.connections).toBe(1);
  });
});
