import { fileURLToPath } from 'node:url';
import { createServer, defineApp } from '@composable-svelte/server';
import App from '../shared/App.svelte';
import { numberFact } from '../shared/facts.js';
import { reducer } from '../shared/reducer.js';
import { router, type Destination } from '../shared/routes.js';
import { initialState, statusOf, type AppAction, type AppDependencies, type AppState } from '../shared/state.js';
import { apiRoutes } from './api-routes.js';
import { appEnv } from './env.js';

export const app = defineApp<AppState, AppAction, AppDependencies, Destination>({
  component: App,
  reducer,
  router,
  clientEntry: 'src/client/entry.ts',
  env: appEnv,
  load(route, url, { request }) {
    const greeting = request.server.config.app.GREETING;
    if (!route.ok) return { state: initialState({ kind: 'notFound', path: url.pathname }, greeting) };
    // The same action the button sends: the server runs its effect and renders the fact.
    return { state: initialState({ kind: 'home' }, greeting), actions: [{ type: 'factRequested' }] };
  },
  dependencies: () => ({ facts: async (n) => numberFact(n) }),
  errorState: ({ status, message, requestId }) => initialState({ kind: 'error', status, message, requestId }, ''),
  status: (state) => statusOf(state.page),
});

export interface AppServerOptions {
  readonly env?: Record<string, string | undefined>;
  /** Where the client build lives; defaults to dist/client next to this built file. */
  readonly clientDir?: string;
}

export function createAppServer(options: AppServerOptions = {}) {
  return createServer({
    app,
    clientDir: options.clientDir ?? fileURLToPath(new URL('../client', import.meta.url)),
    routes: apiRoutes,
    env: options.env ?? process.env,
  });
}

/** What `npm run dev` (composable-svelte dev) builds the server with, from the sources. */
export default createAppServer;
