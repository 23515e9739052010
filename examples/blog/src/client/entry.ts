import './styles.css';
import { hydrate } from 'svelte';
import { syncHistory } from '@composable-svelte/core/routing';
import { hydrateStore, readSerializedState } from '@composable-svelte/core/ssr';
import App from '../shared/App.svelte';
import type { BlogDependencies } from '../shared/api.js';
import { pageForRoute } from '../shared/page-for-route.js';
import { blogReducer } from '../shared/reducer.js';
import { router } from '../shared/routes.js';
import type { BlogAction, BlogState } from '../shared/state.js';
import { urlForPage } from '../shared/url-for-page.js';
import { createHttpApi } from './http-api.js';

const store = hydrateStore<BlogState, BlogAction, BlogDependencies>(readSerializedState(), {
  reducer: blogReducer,
  dependencies: { api: createHttpApi() },
});

hydrate(App, { target: document.getElementById('app')!, props: { store } });

// The URL follows the state; back and forward become navigate actions.
syncHistory({
  router,
  store,
  select: (state) => urlForPage(state.page),
  onUrlChange: (result, url): BlogAction => ({ type: 'navigate', page: pageForRoute(result, url) }),
});
