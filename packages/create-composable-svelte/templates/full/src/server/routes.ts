import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { HttpError } from '@composable-svelte/server';
import { safeNext, TooManyAttemptsError } from '@composable-svelte/server/auth';
import { badRequest } from '@composable-svelte/server/errors';
import { live } from '@composable-svelte/server/live';
import { notesChannel, type NotesPublisher } from './notes-channel.js';
import type { NotesRepository, Transaction } from './notes-repository.js';
import { refusedForms } from './refused-forms.js';

const Credentials = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  name: Type.Optional(Type.String({ maxLength: 1000 })),
});
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) });
const NoteBody = Type.Object({ body: Type.Optional(Type.String({ maxLength: 100_000 })) });

export interface RoutesOptions {
  readonly notes: NotesRepository;
  /** Enqueues the word count of a saved note, in the transaction that saves it. */
  readonly countWords: (noteId: number, tx: Transaction) => Promise<unknown>;
  readonly publisher: NotesPublisher;
}

/**
 * Plain HTML forms that work without JavaScript (POST, then 303 to a page; a refused one is the page
 * again with the reason and its status), the JSON list the browser loads, and the live endpoint.
 * CSRF is checked by the framework before any handler runs.
 */
export function appRoutes({ notes, countWords, publisher }: RoutesOptions) {
  return async (fastify: FastifyInstance) => {
    const auth = fastify.auth!;
    const refuse = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
      if (!(error instanceof HttpError) || error.statusCode >= 500) throw error;
      if (error instanceof TooManyAttemptsError) reply.header('retry-after', String(error.retryAfterSeconds));
      refusedForms.set(request, error.message);
      return fastify.renderPage(request, reply, error.statusCode);
    };

    fastify.post<{ Body: Static<typeof Credentials> }>(
      '/signup',
      { schema: { body: Credentials } },
      async (request, reply) => {
        const { name = '', email = '', password = '' } = request.body;
        try {
          await auth.signUp(request, reply, { name, email, password });
        } catch (error) {
          return refuse(request, reply, error);
        }
        return reply.redirect('/', 303);
      },
    );

    fastify.post<{ Body: Static<typeof Credentials>; Querystring: Static<typeof NextQuery> }>(
      '/login',
      { schema: { body: Credentials, querystring: NextQuery } },
      async (request, reply) => {
        const { email = '', password = '' } = request.body;
        try {
          await auth.logIn(request, reply, { email, password });
        } catch (error) {
          return refuse(request, reply, error);
        }
        return reply.redirect(safeNext(request.query.next, '/'), 303);
      },
    );

    fastify.post('/logout', async (request, reply) => {
      await auth.logOut(request, reply);
      return reply.redirect('/login', 303);
    });

    // The notes page's own form: a refused note is that page again, with the reason.
    fastify.post<{ Body: Static<typeof NoteBody> }>(
      '/',
      { schema: { body: NoteBody }, config: { auth: 'required' } },
      async (request, reply) => {
        const body = (request.body.body ?? '').trim();
        const max = fastify.config.app.NOTE_MAX_LENGTH;
        try {
          if (body.length === 0) throw badRequest('Write something first.');
          if (body.length > max) throw badRequest(`Please keep a note to ${max} characters or fewer.`);
        } catch (error) {
          return refuse(request, reply, error);
        }
        const userId = request.principal!.viewer.id;
        const note = await notes.add(userId, body, (tx, saved) => countWords(saved.id, tx));
        await publisher.publish(userId, 'note', note);
        return reply.redirect('/', 303);
      },
    );

    fastify.get('/api/notes', { config: { auth: 'required' } }, async (request) => ({
      notes: await notes.list(request.principal!.viewer.id),
    }));

    // The session cookie, already read by the auth plugin, admits a socket.
    await fastify.register(live, {
      channels: [notesChannel],
      authenticators: [async (request) => request.principal ?? undefined],
    });
    publisher.attach(fastify);
  };
}
