// A small PostsRepository for child-process fixtures (the in-memory one is not exported from the
// build), whose getPost can be made slow so a test can hold a request in flight.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {{ count: number; getPostDelayMs?: number; commentsPerPost?: number; label: string }} options
 */
export function fixturePostsRepository({ count, getPostDelayMs = 0, commentsPerPost = 0, label }) {
  const posts = Array.from({ length: count }, (_, index) => {
    const id = index + 1;
    return {
      id,
      title: `${label} post ${id}`,
      author: `${label} Fixture`,
      publishedAt: `2024-0${id}-01T10:00:00Z`,
      excerpt: `Post ${id}, served by the ${label.toLowerCase()} test fixture.`,
      commentCount: commentsPerPost,
      coverUrl: null,
      authorId: null,
      updatedAt: null,
      bodyHtml: `<p>Post ${id}, served by the ${label.toLowerCase()} test fixture.</p>`,
    };
  });
  const comments = new Map(
    posts.map((post) => [
      post.id,
      Array.from({ length: commentsPerPost }, (_, n) => ({
        id: post.id * 10 + n,
        postId: post.id,
        author: 'Reader',
        body: 'Nice.',
        createdAt: '2024-05-01T10:00:00Z',
      })),
    ]),
  );
  return {
    async listPosts() {
      return posts.map(({ bodyHtml: _omit, ...summary }) => summary);
    },
    async getPost(id) {
      if (getPostDelayMs > 0) await sleep(getPostDelayMs);
      return posts.find((post) => post.id === id);
    },
    async listComments(postId) {
      return comments.get(postId);
    },
  };
}
