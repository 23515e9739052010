import './styles.css';
import { hydrate } from 'svelte';
import { createStore } from '@composable-svelte/core';
import { parseState, readSerializedState } from '@composable-svelte/core/ssr';
import App from '../shared/App.svelte';
import { reducer } from '../shared/reducer.js';
import type { AppAction, AppDependencies, AppState } from '../shared/state.js';

/** In the browser the facts come from the server's JSON route. */
async function fetchFact(n: number, signal: AbortSignal): Promise<string> {
  const response = await fetch(`/api/facts/${n}`, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The server answered ${response.status}`);
  return ((await response.json()) as { fact: string }).fact;
}

// The state the server rendered, so hydration starts exactly where the HTML left off.
const store = createStore<AppState, AppAction, AppDependencies>({
  initialState: parseState<AppState>(readSerializedState()),
  reducer,
  dependencies: { facts: fetchFact },
});

hydrate(App, { target: document.getElementById('app')!, props: { store } });
