import type { FastifyInstance } from 'fastify';
import { live } from '@composable-svelte/server/live';
import type { PostsRepository } from '../../shared/model.js';
import { postChannel } from './post-channel.js';

/**
 * `/live`: the blog's WebSocket endpoint. The upgrade request went through the auth plugin like any
 * other, so a signed-in reader's socket carries their account; readers without one are admitted
 * too, to the public channels only.
 */
export async function liveRoutes(fastify: FastifyInstance, posts: PostsRepository): Promise<void> {
  await fastify.register(live, {
    channels: [postChannel(posts)],
    authenticators: [async (request) => request.principal ?? undefined],
    allowAnonymous: true,
  });
}
