import { ApiError, type BlogApi } from '../shared/api.js';
import type { PostsRepository } from '../shared/model.js';

/** The server side of BlogApi: straight to the repository, no HTTP round trip. */
export function createRepositoryApi(repository: PostsRepository): BlogApi {
  return {
    listPosts: () => repository.listPosts(),
    async getPost(id) {
      const post = await repository.getPost(id);
      if (!post) throw new ApiError(404, `Post ${id} does not exist`);
      return post;
    },
    async listComments(postId) {
      const comments = await repository.listComments(postId);
      if (!comments) throw new ApiError(404, `Post ${postId} does not exist`);
      return comments;
    },
  };
}
