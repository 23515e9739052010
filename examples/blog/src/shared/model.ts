/** The blog's data as it travels through state, JSON endpoints and the serialized SSR state. */
export interface PostSummary {
  readonly id: number;
  readonly title: string;
  readonly author: string;
  /** ISO 8601 date-time. State must be plain JSON, so dates travel as strings. */
  readonly publishedAt: string;
  readonly excerpt: string;
  readonly commentCount: number;
}

export interface Post extends PostSummary {
  /** The body as HTML that has already been sanitized (see sanitizeHtml); rendered with {@html}. */
  readonly bodyHtml: string;
}

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
}
