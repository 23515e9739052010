import { Type } from '@sinclair/typebox';
import { defineJob } from '@composable-svelte/server/jobs';
import type { NotesRepository } from './notes-repository.js';
import type { NotesPublisher } from './notes-channel.js';

/** Counts a saved note's words in the background and tells the author's open pages. */
export function countWordsJob(notes: NotesRepository, publisher: NotesPublisher) {
  return defineJob('count-words', {
    payload: Type.Object({ noteId: Type.Integer({ minimum: 1 }) }),
    retry: { limit: 3 },
    handler: async ({ noteId }) => {
      const body = await notes.body(noteId);
      if (body === undefined) return;
      const words = body.split(/\s+/).filter(Boolean).length;
      const saved = await notes.setWords(noteId, words);
      if (saved) await publisher.publish(saved.userId, 'words', { id: noteId, words });
    },
  });
}
