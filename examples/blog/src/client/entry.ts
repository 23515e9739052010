import './styles.css';
import { hydrate } from 'svelte';
import { createQueryCache, createStore, createSystemClock } from '@composable-svelte/core';
import { createLazyLiveClient } from '@composable-svelte/core/live';
import { syncHistory } from '@composable-svelte/core/routing';
import { parseState, readSerializedState } from '@composable-svelte/core/ssr';
import App from '../shared/App.svelte';
import type { BlogDependencies } from '../shared/api.js';
import { locales } from '../shared/i18n/locales.js';
import { dictionaries } from '../shared/i18n/messages.js';
import { pagesIn } from '../shared/page-components.js';
import { pageForRoute } from '../shared/page-for-route.js';
import { snapshotOf } from '../shared/queries.js';
import { blogReducer } from '../shared/reducer.js';
import { router } from '../shared/routes.js';
import type { BlogAction, BlogState } from '../shared/state.js';
import { urlForPage } from '../shared/url-for-page.js';
import { createHttpApi } from './http-api.js';

const initialState = parseState<BlogState>(readSerializedState());
// One cache for the app, starting with what the server fetched: none of it is asked for again while fresh.
const clock = createSystemClock();
const queries = createQueryCache({ clock });
queries.hydrate(snapshotOf(initialState));

const store = createStore<BlogState, BlogAction, BlogDependencies>({
  initialState,
  reducer: blogReducer,
  // Lazy: the live client is its own chunk, fetched once a page opens the connection.
  dependencies: { api: createHttpApi(), clock, queries, live: createLazyLiveClient({ url: '/live', clock }) },
});

// The server rendered this page: its chunk and its locale's messages must be here before hydrating,
// or the first render would differ.
await Promise.all([pagesIn(initialState.locale).load(initialState.page.route), dictionaries.load(initialState.locale)]);
hydrate(App, { target: document.getElementById('app')!, props: { store } });

// The URL follows the state; back and forward become navigate actions.
// Paths carry the locale's prefix; the route table knows them without it.
syncHistory({
  router: { parse: (url) => router.parse(locales.split(url).path) },
  store,
  select: (state) => urlForPage(state.page, state.locale),
  onUrlChange: (result, url): BlogAction => ({ type: 'navigate', page: pageForRoute(result, locales.split(url).path) }),
});
