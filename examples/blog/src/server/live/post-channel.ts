import { channel } from '@composable-svelte/server/live';
import type { PostsRepository } from '../../shared/model.js';
import { postId } from '../api-routes.js';

/**
 * `post/<id>`: the post's new comments (event `comment`, the comment as the API answers it) and
 * who is reading it. Public and read-only, like the post: anyone may join, nobody may push. Each
 * signed-in reader is one presence key however many tabs they have open; each anonymous
 * connection is one.
 */
export function postChannel(posts: PostsRepository) {
  return channel('post/:id', {
    anonymous: true,
    authorize: async (_viewer, params) => {
      const id = postId.decode(params.id);
      if (!id.ok) return 'bad_topic';
      return (await posts.getPost(id.value)) !== undefined || 'not_found';
    },
    presence: ({ principal }) => (principal ? { name: principal.viewer.name } : {}),
  });
}
