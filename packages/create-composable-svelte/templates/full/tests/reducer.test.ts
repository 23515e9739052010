import { createTestStore, Effect } from '@composable-svelte/core';
import type { LiveClient } from '@composable-svelte/core/live';
import { describe, expect, it } from 'vitest';
import { reducer } from '../src/shared/reducer.js';
import { initialState, type AppAction, type AppDependencies, type AppState, type Note } from '../src/shared/state.js';

const ADA = { id: 7, name: 'Ada' };
const note = (id: number, body: string, words: number | null = null): Note => ({
  id,
  body,
  words,
  createdAt: `2026-01-0${id}T00:00:00.000Z`,
});

/** Records what the reducer asked the live client for; the socket itself is the framework's to test. */
function recordingLive(calls: string[]): LiveClient {
  return {
    connect: () => Effect.fireAndForget(() => void calls.push('connect')),
    join: (topic: string) => Effect.fireAndForget(() => void calls.push(`join ${topic}`)),
    leave: () => Effect.none(),
    push: () => Effect.none(),
    state: { status: 'closed' },
  };
}

function storeWith(listNotes: AppDependencies['listNotes'], calls: string[] = []) {
  return createTestStore<AppState, AppAction, AppDependencies>({
    initialState: initialState({ kind: 'notes' }, ADA),
    reducer,
    dependencies: { listNotes, live: recordingLive(calls) },
  });
}

describe('the notes page', () => {
  it('loads the viewer’s notes through its effect', async () => {
    const store = storeWith(async () => [note(2, 'second'), note(1, 'first note', 2)]);
    await store.send({ type: 'notesRequested' }, { loading: true });
    await store.receive('notesLoaded', { notes: [note(2, 'second'), note(1, 'first note', 2)], loading: false });
    await store.finish();
  });

  it('says why the notes could not be loaded', async () => {
    const store = storeWith(async () => {
      throw new Error('The server answered 503');
    });
    await store.send({ type: 'notesRequested' }, { loading: true });
    await store.receive('notesFailed', { loadError: 'The server answered 503', loading: false });
    await store.finish();
  });

  it('goes live on the viewer’s own channel', async () => {
    const calls: string[] = [];
    const store = storeWith(async () => [], calls);
    await store.send({ type: 'liveStarted' }, { connection: 'connecting' });
    await store.finish();
    expect(calls).toEqual(['connect', 'join notes/7']);
  });

  it('shows a note saved in another tab once, and the word count the job publishes', async () => {
    const store = storeWith(async () => []);
    const saved = note(3, 'three little words');
    const event = (name: string, data: unknown, seq: number): AppAction => ({
      type: 'live',
      event: { type: 'event', topic: 'notes/7', event: name, data, seq },
    });
    await store.send(
      { type: 'live', event: { type: 'connection', state: { status: 'open' } } },
      { connection: 'open' },
    );
    await store.send(event('note', saved, 1), { notes: [saved] });
    await store.send(event('note', saved, 2));
    await store.send(event('words', { id: 3, words: 3 }, 3), { notes: [{ ...saved, words: 3 }] });
    await store.finish();
  });

  it('loads the list again when the server could not replay what was missed', async () => {
    const store = storeWith(async () => [note(1, 'one')]);
    await store.send({ type: 'live', event: { type: 'refetch', topic: 'notes/7' } });
    await store.receive('notesRequested', { loading: true });
    await store.receive('notesLoaded', { notes: [note(1, 'one')], loading: false });
    await store.finish();
  });
});
