import type { FastifyInstance } from 'fastify';
import { channel } from '@composable-svelte/server/live';
import { notesTopic } from '../shared/state.js';

/** Each viewer's notes, live: only that viewer may join. */
export const notesChannel = channel('notes/:userId', {
  authorize: (viewer, { userId }) => viewer !== undefined && String(viewer.id) === userId,
});

/** Publishes to a viewer's channel once the live plugin is registered (the job may run before). */
export interface NotesPublisher {
  attach(fastify: FastifyInstance): void;
  publish(userId: number, event: 'note' | 'words', data: unknown): Promise<void>;
}

export function createNotesPublisher(): NotesPublisher {
  let server: FastifyInstance | undefined;
  return {
    attach(fastify) {
      server = fastify;
    },
    async publish(userId, event, data) {
      await server?.live.publish(notesTopic(userId), event, data);
    },
  };
}
