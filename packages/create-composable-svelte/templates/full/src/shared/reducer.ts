import { Effect, type Reducer } from '@composable-svelte/core';
import type { LiveEvent } from '@composable-svelte/core/live';
import { notesTopic, type AppAction, type AppDependencies, type AppState, type Note } from './state.js';

export const reducer: Reducer<AppState, AppAction, AppDependencies> = (state, action, { listNotes, live }) => {
  switch (action.type) {
    case 'notesRequested': {
      const load = Effect.run<AppAction>(async (dispatch, { signal }) => {
        try {
          dispatch({ type: 'notesLoaded', notes: await listNotes(signal) });
        } catch (error) {
          if (!signal.aborted) dispatch({ type: 'notesFailed', message: (error as Error).message });
        }
      });
      return [{ ...state, loading: true, loadError: null }, Effect.cancellable('notes', load)];
    }
    case 'notesLoaded':
      return [{ ...state, notes: action.notes, loading: false }, Effect.none()];
    case 'notesFailed':
      return [{ ...state, loadError: action.message, loading: false }, Effect.none()];
    case 'liveStarted':
      if (!state.viewer) return [state, Effect.none()];
      return [
        { ...state, connection: 'connecting' },
        Effect.batch(
          live.connect((event): AppAction => ({ type: 'live', event })),
          live.join(notesTopic(state.viewer.id)),
        ),
      ];
    case 'live':
      return onLiveEvent(state, action.event);
  }
};

function onLiveEvent(state: AppState, event: LiveEvent): readonly [AppState, Effect<AppAction>] {
  switch (event.type) {
    case 'connection':
      return [{ ...state, connection: event.state.status }, Effect.none()];
    case 'event':
      if (event.event === 'note')
        return [{ ...state, notes: withNote(state.notes, event.data as Note) }, Effect.none()];
      if (event.event === 'words') {
        const { id, words } = event.data as { id: number; words: number };
        const notes = state.notes.map((note) => (note.id === id ? { ...note, words } : note));
        return [{ ...state, notes }, Effect.none()];
      }
      return [state, Effect.none()];
    case 'refetch':
      // Events were missed beyond what the server keeps: load the list again.
      return [state, Effect.send<AppAction>({ type: 'notesRequested' })];
    default:
      return [state, Effect.none()];
  }
}

/** A note the page may already show (this tab posted it): kept once, newest first. */
function withNote(notes: readonly Note[], note: Note): readonly Note[] {
  return [note, ...notes.filter((existing) => existing.id !== note.id)];
}
