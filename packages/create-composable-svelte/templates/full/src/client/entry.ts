import './styles.css';
import { hydrate } from 'svelte';
import { createStore } from '@composable-svelte/core';
import { createLazyLiveClient } from '@composable-svelte/core/live';
import { parseState, readSerializedState } from '@composable-svelte/core/ssr';
import App from '../shared/App.svelte';
import { reducer } from '../shared/reducer.js';
import type { AppAction, AppDependencies, AppState, Note } from '../shared/state.js';

async function listNotes(signal: AbortSignal): Promise<readonly Note[]> {
  const response = await fetch('/api/notes', { signal, headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return ((await response.json()) as { notes: Note[] }).notes;
}

// The state the server rendered, so hydration starts exactly where the HTML left off.
const store = createStore<AppState, AppAction, AppDependencies>({
  initialState: parseState<AppState>(readSerializedState()),
  reducer,
  // The live client is fetched only when a page goes live.
  dependencies: { listNotes, live: createLazyLiveClient({ url: '/live' }) },
});

hydrate(App, { target: document.getElementById('app')!, props: { store } });
if (store.state.page.kind === 'notes') store.dispatch({ type: 'liveStarted' });
