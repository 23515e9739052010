import { Type } from '@sinclair/typebox';

/** JSON shapes of the API, used by Fastify to validate input and to serialize responses fast. */
export const PostIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);

const PostSummary = {
  id: Type.Integer(),
  title: Type.String(),
  author: Type.String(),
  publishedAt: Type.String(),
  excerpt: Type.String(),
  commentCount: Type.Integer(),
};

export const PostListResponse = Type.Object({ posts: Type.Array(Type.Object(PostSummary)) });
export const PostResponse = Type.Object({ post: Type.Object({ ...PostSummary, bodyHtml: Type.String() }) });
export const CommentsResponse = Type.Object({
  comments: Type.Array(
    Type.Object({
      id: Type.Integer(),
      postId: Type.Integer(),
      author: Type.String(),
      body: Type.String(),
      createdAt: Type.String(),
    }),
  ),
});
