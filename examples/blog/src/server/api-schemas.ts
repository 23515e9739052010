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
  coverUrl: Type.Union([Type.String(), Type.Null()]),
};

export const PostListResponse = Type.Object({ posts: Type.Array(Type.Object(PostSummary)) });
export const PostResponse = Type.Object({
  post: Type.Object({
    ...PostSummary,
    bodyHtml: Type.String(),
    authorId: Type.Union([Type.Integer(), Type.Null()]),
    updatedAt: Type.Union([Type.String(), Type.Null()]),
  }),
});
const Comment = Type.Object({
  id: Type.Integer(),
  postId: Type.Integer(),
  author: Type.String(),
  body: Type.String(),
  createdAt: Type.String(),
  authorId: Type.Optional(Type.Integer()),
});

export const CommentsResponse = Type.Object({ comments: Type.Array(Comment) });
export const CommentResponse = Type.Object({ comment: Comment });

/**
 * A new comment, as JSON or as a form. Only the shape is checked here, with room to spare: the
 * limits themselves are validateComment's, whose messages say what to fix.
 */
export const CommentBody = Type.Object({
  // Ignored when readers sign in: the author is the viewer.
  author: Type.Optional(Type.String({ maxLength: 1000 })),
  body: Type.String({ maxLength: 50_000 }),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
