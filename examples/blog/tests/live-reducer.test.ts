/**
 * Live comments in the store (TestStore, a fake live transport): the browser connects once a post's
 * live status is shown (liveStarted), and follows the channel of the post shown; a comment from the channel is added once
 * whatever delivers it again (the posting tab's own answer, a resume, an outbox retry), the post's
 * count follows, and a list loaded before it arrived does not drop it; presence becomes "N reading
 * now"; the connection's state is in the state for the page to announce; the server never connects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createMockClock, createQueryCache, createTestStore } from '@composable-svelte/core';
import { createFakeLiveTransport, createFakeOnline, createLiveClient } from '@composable-svelte/core/live';
import type { BlogApi, BlogDependencies } from '../src/shared/api.js';
import { initialLiveState } from '../src/shared/live.js';
import type { Comment, Post } from '../src/shared/model.js';
import { loadAllFeatures } from '../src/shared/features.js';
import { blogReducer } from '../src/shared/reducer.js';
import { initialBlogState, type BlogAction, type BlogState, type Page } from '../src/shared/state.js';

// The forms and the live channel are lazy features: the store reduces their actions once they are in.
beforeAll(loadAllFeatures);

const post = (id: number, commentCount: number): Post => ({
  id,
  title: `Post ${id}`,
  author: 'Ada',
  publishedAt: '2025-01-02T00:00:00.000Z',
  excerpt: 'Excerpt.',
  authorId: null,
  updatedAt: null,
  coverUrl: null,
  commentCount,
  bodyHtml: '<p>Excerpt.</p>',
});
const OLD: Comment = { id: 1, postId: 2, author: 'Reader', body: 'First!', createdAt: '2025-01-03T00:00:00.000Z' };
const NEW: Comment = { id: 7, postId: 2, author: 'Grace', body: 'Live one', createdAt: '2025-01-04T00:00:00.000Z' };

const commentsPage = (id: number): Page => ({ route: 'comments', params: { id }, query: {} });

/** The comments page of post 2 as the server rendered it (data in the state), hydrated with live on. */
function setup(options: { live?: boolean; enabled?: boolean; page?: Page } = {}) {
  const clock = createMockClock({ now: 0 });
  const fake = createFakeLiveTransport();
  const online = createFakeOnline();
  const live = createLiveClient({ url: '/live', transport: fake.transport, clock, random: () => 0.5, online });
  const state = initialBlogState(options.page ?? commentsPage(2), 'https://blog.example.com');
  const initialState: BlogState = {
    ...state,
    postsById: { 2: post(2, 1), 3: post(3, 0) },
    commentsByPost: { 2: [OLD], 3: [] },
    live: initialLiveState(options.enabled ?? true),
  };
  // Every page's data is in the state: nothing is asked of the API.
  const api = {} as BlogApi;
  const store = createTestStore<BlogState, BlogAction, BlogDependencies>({
    initialState,
    reducer: blogReducer,
    dependencies: { api, clock, queries: createQueryCache({ clock }), ...(options.live === false ? {} : { live }) },
    exhaustivity: 'off',
  });
  return { store, fake, online };
}

const isLive = (type: string) => (action: BlogAction) => action.type === 'liveEvent' && action.event.type === type;

async function connected() {
  const context = setup();
  const { store, fake } = context;
  await store.send({ type: 'liveStarted' }, (s) => ({
    ...s,
    live: { ...s.live, connection: { status: 'connecting' }, topic: 'post/2' },
  }));
  fake.last().open();
  await store.receive(
    (action) =>
      action.type === 'liveEvent' && action.event.type === 'connection' && action.event.state.status === 'open',
  );
  expect(fake.last().sent).toEqual([{ type: 'join', ref: 'j1', topic: 'post/2' }]);
  fake.last().receive({ type: 'reply', ref: 'j1', ok: true, seq: 0, epoch: 'e1' });
  await store.receive(isLive('joined'));
  return context;
}

describe('live comments in the store', () => {
  it('a comment from the channel is shown once, whatever delivers it again, and the post counts it once', async () => {
    const { store, fake } = await connected();
    const socket = fake.last();
    socket.receive({ type: 'event', topic: 'post/2', seq: 1, event: 'comment', data: NEW });
    await store.receive(isLive('event'));
    expect(store.state.commentsByPost[2]).toEqual([OLD, NEW]);
    expect(store.state.postsById[2]!.commentCount).toBe(2);
    // An outbox retry publishes it again under a new sequence.
    socket.receive({ type: 'event', topic: 'post/2', seq: 2, event: 'comment', data: NEW });
    await store.receive(isLive('event'));
    expect(store.state.commentsByPost[2]).toEqual([OLD, NEW]);
    expect(store.state.postsById[2]!.commentCount).toBe(2);
    // What does not look like a comment, or is for another post, changes nothing.
    socket.receive({ type: 'event', topic: 'post/2', seq: 3, event: 'comment', data: { id: 'x' } });
    socket.receive({ type: 'event', topic: 'post/2', seq: 4, event: 'comment', data: { ...NEW, id: 8, postId: 3 } });
    await store.skipReceivedActions();
    expect(store.state.commentsByPost).toEqual({ 2: [OLD, NEW], 3: [] });
    await store.skipInFlightEffects();
  });

  it("the posting tab's reload of the list neither duplicates the comment nor, when older, drops it", async () => {
    const { store, fake } = await connected();
    fake.last().receive({ type: 'event', topic: 'post/2', seq: 1, event: 'comment', data: NEW });
    await store.receive(isLive('event'));
    await store.send({ type: 'commentsLoaded', postId: 2, comments: [OLD, NEW], updatedAt: 1 });
    expect(store.state.commentsByPost[2]).toEqual([OLD, NEW]);
    // A list asked for before the comment was written answers after it arrived live.
    await store.send({ type: 'commentsLoaded', postId: 2, comments: [OLD], updatedAt: 2 });
    expect(store.state.commentsByPost[2]).toEqual([OLD, NEW]);
    await store.skipInFlightEffects();
  });

  it('presence is "N reading now": one per viewer key, only for the post shown; a navigation follows the new post', async () => {
    const { store, fake } = await connected();
    const socket = fake.last();
    socket.receive({
      type: 'presence',
      topic: 'post/2',
      state: { 'user:1': [{ ref: 'a.1' }, { ref: 'b.4' }], 'anon:a.2': [{ ref: 'a.2' }] },
    });
    await store.receive(isLive('presence'));
    expect(store.state.live.readers).toBe(2);

    await store.send({ type: 'navigate', page: commentsPage(3) });
    expect(store.state.live).toMatchObject({ topic: 'post/3', readers: null });
    expect(socket.sent.slice(1)).toEqual([
      { type: 'leave', ref: 'l2', topic: 'post/2' },
      { type: 'join', ref: 'j3', topic: 'post/3' },
    ]);
    // A late diff of the channel left behind is not this page's.
    socket.receive({ type: 'presence', topic: 'post/2', joins: { 'anon:c.9': [{ ref: 'c.9' }] } });
    await store.skipReceivedActions();
    expect(store.state.live.readers).toBe(null);

    await store.send({ type: 'navigate', page: { route: 'home', params: {}, query: {} } });
    expect(store.state.live.topic).toBe(null);
    expect(socket.sent.at(-1)).toMatchObject({ type: 'leave', topic: 'post/3' });
    await store.skipInFlightEffects();
  });

  it('a lost connection is in the state (retrying, offline), and the channel resumes from its last sequence', async () => {
    const { store, fake, online } = await connected();
    fake.last().receive({ type: 'event', topic: 'post/2', seq: 1, event: 'comment', data: NEW });
    await store.receive(isLive('event'));
    online.set(false);
    fake.last().drop(1006);
    await store.receive(isLive('connection'));
    expect(store.state.live.connection).toEqual({ status: 'offline' });
    online.set(true);
    await store.receive(isLive('connection'));
    expect(store.state.live.connection).toEqual({ status: 'connecting' });
    fake.last().open();
    expect(fake.last().sent).toEqual([{ type: 'join', ref: 'j2', topic: 'post/2', since: 1, epoch: 'e1' }]);
    await store.skipReceivedActions();
    expect(store.state.live.connection).toEqual({ status: 'open' });

    fake.last().drop(1006);
    await store.receive(isLive('connection'));
    expect(store.state.live.connection).toMatchObject({ status: 'retrying' });
    await store.skipInFlightEffects();
  });

  it('a page with no channel (the list) opens no connection; the first post reached does', async () => {
    const { store, fake } = setup({ page: { route: 'home', params: {}, query: {} } });
    await store.send({ type: 'liveStarted' });
    await store.send({ type: 'navigate', page: { route: 'subscribe', params: {}, query: {} } });
    expect(fake.sockets).toHaveLength(0);
    expect(store.state.live.connection).toBe(null);

    await store.send({ type: 'navigate', page: commentsPage(3) });
    expect(store.state.live).toMatchObject({ connection: { status: 'connecting' }, topic: 'post/3' });
    expect(fake.sockets).toHaveLength(1);
    fake.last().open();
    expect(fake.last().sent).toEqual([{ type: 'join', ref: 'j1', topic: 'post/3' }]);
    await store.skipReceivedActions();
    await store.skipInFlightEffects();
  });

  it('the server (no live client) and a blog without /live never connect', async () => {
    for (const options of [{ live: false }, { enabled: false }]) {
      const { store, fake } = setup(options);
      await store.send({ type: 'liveStarted' });
      await store.send({ type: 'navigate', page: commentsPage(3) });
      expect(store.state.live).toEqual(initialLiveState(options.enabled ?? true));
      expect(fake.sockets).toHaveLength(0);
      await store.finish();
    }
  });
});
