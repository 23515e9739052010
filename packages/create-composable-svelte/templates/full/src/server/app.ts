import { fileURLToPath } from 'node:url';
import { createServer, defineApp, type ComposableServer } from '@composable-svelte/server';
import { loadServerConfig } from '@composable-svelte/server/config';
import { databaseOptions, openDatabase, type Database } from '@composable-svelte/server/db';
import { createJobs, jobsSettings } from '@composable-svelte/server/jobs';
import { createServices, serviceOf } from '@composable-svelte/server/services';
import type { LiveClient } from '@composable-svelte/core/live';
import { unimplemented } from '@composable-svelte/core';
import App from '../shared/App.svelte';
import { reducer } from '../shared/reducer.js';
import { router, type Destination } from '../shared/routes.js';
import {
  initialState,
  statusOf,
  type AppAction,
  type AppDependencies,
  type AppState,
  type Page,
} from '../shared/state.js';
import { countWordsJob } from './count-words-job.js';
import { appSchema } from './db/schema.js';
import { appEnv } from './env.js';
import { createNotesPublisher } from './notes-channel.js';
import { createNotesRepository, type NotesRepository } from './notes-repository.js';
import { refusedForms } from './refused-forms.js';
import { appRoutes } from './routes.js';

/** drizzle-kit's migrations, next to dist/ in the project and in the Docker image. */
const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The server never goes live itself: only the browser's reducer connects. */
const serverLive = {
  connect: unimplemented('live.connect'),
  join: unimplemented('live.join'),
  leave: unimplemented('live.leave'),
  push: unimplemented('live.push'),
  state: { status: 'closed' },
} as LiveClient;

export function notesApp(notes: NotesRepository) {
  return defineApp<AppState, AppAction, AppDependencies, Destination>({
    component: App,
    reducer,
    router,
    clientEntry: 'src/client/entry.ts',
    env: appEnv,
    // The notes page is the viewer's own: anonymous browsers go to /login?next=/.
    auth: (route) => (route.ok && route.destination.route === 'notes' ? 'required' : undefined),
    load(route, url, context) {
      const viewer = context.viewer && { id: context.viewer.id, name: context.viewer.name };
      const page: Page = !route.ok
        ? { kind: 'notFound', path: url.pathname }
        : route.destination.route === 'login'
          ? { kind: 'login', next: route.destination.query.next }
          : { kind: route.destination.route };
      const state = {
        ...initialState(page, viewer),
        // Every page here has a form (sign-in, sign-up, sign-out, new note): pages are private anyway.
        csrfToken: route.ok ? context.csrfToken() : null,
        flash: context.flash()?.text ?? null,
        formError: refusedForms.get(context.request) ?? null,
      };
      return { state, actions: page.kind === 'notes' ? [{ type: 'notesRequested' }] : [] };
    },
    dependencies: ({ request }) => ({
      listNotes: async () => (request.principal ? notes.list(request.principal.viewer.id) : []),
      live: serverLive,
    }),
    errorState: ({ status, message, requestId }) => initialState({ kind: 'error', status, message, requestId }),
    status: (state) => statusOf(state.page),
  });
}

export interface AppServerOptions {
  readonly env?: Record<string, string | undefined>;
  /** Where the client build lives; defaults to dist/client next to this built file. */
  readonly clientDir?: string;
}

/**
 * The database (embedded PGlite under DATABASE_DIR, or PostgreSQL with DATABASE_URL), the job
 * queue in it, accounts, live updates and the pages, in one server.
 */
export async function createAppServer(options: AppServerOptions = {}): Promise<ComposableServer> {
  const env = options.env ?? process.env;
  const config = loadServerConfig(env, {}, appEnv);
  const opened = await openDatabase({ ...databaseOptions(config), schema: appSchema });
  // The server only migrates, probes and closes it; the repository keeps the schema's types.
  const database = opened as unknown as Database<Record<string, unknown>>;
  const notes = createNotesRepository(opened.db);
  const publisher = createNotesPublisher();
  const jobs = createJobs({ database, jobs: [countWordsJob(notes, publisher)], ...jobsSettings(config) });
  try {
    return await createServer({
      app: notesApp(notes),
      clientDir: options.clientDir ?? fileURLToPath(new URL('../client', import.meta.url)),
      env,
      database,
      migrationsFolder: MIGRATIONS,
      services: createServices({ jobs: serviceOf(jobs) }),
      auth: {},
      routes: appRoutes({
        notes,
        publisher,
        countWords: (noteId, tx) => jobs.enqueue('count-words', { noteId }, { tx }),
      }),
    });
  } catch (error) {
    await opened.close();
    throw error;
  }
}

/** What `npm run dev` (composable-svelte dev) builds the server with, from the sources. */
export default createAppServer;
