/** The blog's data as it travels through state, JSON endpoints and the serialized SSR state. */
export interface PostSummary {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  /** ISO 8601 date-time. State must be plain JSON, so dates travel as strings. */
  readonly publishedAt: string;
  readonly excerpt: string;
  readonly commentCount: number;
  /** The cover image (a path under /uploads), or null. */
  readonly coverUrl: string | null;
}

export interface Post extends PostSummary {
  /** The body as HTML that has already been sanitized (see sanitizeHtml); rendered with {@html}. */
  readonly bodyHtml: string;
  /** The account that wrote it, which may edit it (so may admins); null for the seed's essays. */
  readonly authorId: number | null;
  /** ISO 8601 date-time of the last edit; null when never edited. */
  readonly updatedAt: string | null;
}

/** A post as its author edits it: the source the page was rendered from. */
export interface PostSource {
  readonly post: Post;
  /** The Markdown written by its author; null for a post that was not written in Markdown (the seed). */
  readonly bodyMarkdown: string | null;
}

/** A post to store, already validated and rendered (post-writing.ts). */
export interface NewPost {
  readonly title: string;
  readonly author: string;
  readonly authorId: number;
  readonly excerpt: string;
  readonly bodyMarkdown: string;
  readonly bodyHtml: string;
  readonly coverUrl: string | null;
}

/** What an edit changes: every field the writer controls, rendered again. */
export type PostEdit = Omit<NewPost, 'author' | 'authorId'>;

export interface Comment {
  readonly id: number;
  readonly postId: number;
  readonly author: string;
  readonly body: string;
  readonly createdAt: string;
  /** The account that wrote it (it may delete it); absent when no account did (the seed's). */
  readonly authorId?: number;
}

/** What a reader writes; the server fills in the rest. */
export interface NewComment {
  readonly author: string;
  readonly body: string;
  /** The signed-in writer's account id. */
  readonly authorId?: number;
}

/** Where posts live: the database (database-posts-repository.ts) or memory (tests, benchmarks). */
export interface PostsRepository {
  listPosts(): Promise<readonly PostSummary[]>;
  getPost(id: number): Promise<Post | undefined>;
  /** Comments of a post, oldest first; undefined when the post does not exist. */
  listComments(postId: number): Promise<readonly Comment[] | undefined>;
  /**
   * Stores a comment, already validated (validateComment), and counts it in its post's
   * commentCount at once; undefined when the post does not exist.
   */
  addComment(postId: number, comment: NewComment): Promise<Comment | undefined>;
  /** Stores a new post, published now. */
  createPost(post: NewPost): Promise<Post>;
  /** The post and its Markdown, for its editor; undefined when the post does not exist. */
  getPostSource(id: number): Promise<PostSource | undefined>;
  /** Replaces what the writer controls and stamps updatedAt; undefined when the post does not exist. */
  updatePost(id: number, edit: PostEdit): Promise<Post | undefined>;
}
