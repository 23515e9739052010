import type { ConnectionState, LiveClient, LiveEvent } from '@composable-svelte/core/live';

export interface Note {
  readonly id: number;
  readonly body: string;
  /** Counted by a background job after the note is saved: null until then. */
  readonly words: number | null;
  readonly createdAt: string;
}

/** Who is signed in: what the pages show, nothing secret. */
export interface Viewer {
  readonly id: number;
  readonly name: string;
}

export type Page =
  | { readonly kind: 'notes' }
  | { readonly kind: 'login'; readonly next: string | undefined }
  | { readonly kind: 'signup' }
  | { readonly kind: 'notFound'; readonly path: string }
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly requestId: string };

export interface AppState {
  readonly page: Page;
  readonly viewer: Viewer | null;
  readonly notes: readonly Note[];
  readonly loading: boolean;
  readonly loadError: string | null;
  /** For the forms of this page (sign-in, sign-up, sign-out, new note); null on pages without one. */
  readonly csrfToken: string | null;
  /** The message a redirect after a form left, shown once. */
  readonly flash: string | null;
  /** Why the form just posted was refused (the page is the form again, with this message). */
  readonly formError: string | null;
  readonly connection: ConnectionState['status'] | 'off';
}

export type AppAction =
  | { readonly type: 'notesRequested' }
  | { readonly type: 'notesLoaded'; readonly notes: readonly Note[] }
  | { readonly type: 'notesFailed'; readonly message: string }
  | { readonly type: 'liveStarted' }
  | { readonly type: 'live'; readonly event: LiveEvent };

export interface AppDependencies {
  /** The viewer's notes, newest first: from the database on the server, from /api/notes in the browser. */
  readonly listNotes: (signal: AbortSignal) => Promise<readonly Note[]>;
  /** New notes and word counts as they happen, from other tabs and the background job. */
  readonly live: LiveClient;
}

/** The channel a viewer's notes are published on (the server's `notesChannel`). */
export const notesTopic = (viewerId: number) => `notes/${viewerId}`;

export function initialState(page: Page, viewer: Viewer | null = null): AppState {
  return {
    page,
    viewer,
    notes: [],
    loading: false,
    loadError: null,
    csrfToken: null,
    flash: null,
    formError: null,
    connection: 'off',
  };
}

export function statusOf(page: Page): number {
  if (page.kind === 'notFound') return 404;
  if (page.kind === 'error') return page.status;
  return 200;
}
