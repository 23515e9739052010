import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '@composable-svelte/server';
import { badRequest } from '@composable-svelte/server/errors';
import { ApiError } from '../shared/api.js';
import type { PostsRepository } from '../shared/model.js';
import { createRepositoryApi } from './repository-api.js';
import type { SubscriptionsRepository } from './subscriptions-repository.js';

const SubscribeBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 320 }),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});

/**
 * The newsletter form. One endpoint for both ways in: a script posts JSON and reads JSON back; a
 * browser without JavaScript posts the form and is redirected to the confirmation (POST/redirect/GET).
 * CSRF is checked by the framework before the handler runs.
 */
export function subscribeRoutes(posts: PostsRepository, subscriptions: SubscriptionsRepository) {
  return async function routes(fastify: FastifyInstance): Promise<void> {
    fastify.get('/api/csrf', async (_request, reply) => {
      reply.header('cache-control', 'private, no-store');
      return { token: reply.generateCsrf() };
    });

    fastify.post<{ Body: Static<typeof SubscribeBody> }>(
      '/subscribe',
      {
        schema: { body: SubscribeBody },
        config: { rateLimit: { max: fastify.config.rateLimit.formMax, timeWindow: fastify.config.rateLimit.windowMs } },
      },
      async (request, reply) => {
        const isForm = (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        const api = createRepositoryApi({
          posts,
          subscriptions,
          log: request.log,
          csrfToken: () => reply.generateCsrf(),
        });
        try {
          const { name } = await api.subscribe(
            { name: request.body.name, email: request.body.email, csrfToken: '' },
            new AbortController().signal,
          );
          reply.header('cache-control', 'private, no-store');
          if (isForm) return reply.redirect('/subscribe?subscribed=1', 303);
          return reply.code(201).send({ subscription: { name } });
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const details = Object.entries(error.fieldErrors).map(([field, message]) => ({
            path: `body.${field}`,
            message,
          }));
          if (error.status === 400)
            throw badRequest(details.map((d) => d.message).join(' ') || error.message, { details });
          throw new HttpError(error.status, 'SUBSCRIBE_FAILED', error.message);
        }
      },
    );
  };
}
