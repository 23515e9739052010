import { transaction, type Db } from '@composable-svelte/server/db';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Comment, Post, PostSummary, PostsRepository } from '../../shared/model.js';
import { comments, posts, type BlogSchema } from './schema.js';

const summaryColumns = {
  id: posts.id,
  title: posts.title,
  author: posts.author,
  publishedAt: posts.publishedAt,
  excerpt: posts.excerpt,
  commentCount: posts.commentCount,
  coverUrl: posts.coverUrl,
};

const postColumns = {
  ...summaryColumns,
  bodyHtml: posts.bodyHtml,
  authorId: posts.authorId,
  updatedAt: posts.updatedAt,
};

type SummaryRow = { publishedAt: Date } & Omit<PostSummary, 'publishedAt'>;
type PostRow = { publishedAt: Date; updatedAt: Date | null } & Omit<Post, 'publishedAt' | 'updatedAt'>;

/**
 * State is plain JSON: dates travel as ISO 8601 strings, as the in-memory repository gives them.
 * Written field by field, in the columns' order: spreading a driver row cost ~40 µs a list page.
 */
function summaryOf(row: SummaryRow): PostSummary {
  return {
    id: row.id,
    title: row.title,
    author: row.author,
    publishedAt: row.publishedAt.toISOString(),
    excerpt: row.excerpt,
    commentCount: row.commentCount,
    coverUrl: row.coverUrl,
  };
}

function postOf(row: PostRow): Post {
  return {
    ...summaryOf(row),
    bodyHtml: row.bodyHtml,
    authorId: row.authorId,
    updatedAt: row.updatedAt?.toISOString() ?? null,
  };
}

export function commentOf(row: typeof comments.$inferSelect): Comment {
  const { id, postId, author, body, createdAt, userId } = row;
  return {
    id,
    postId,
    author,
    body,
    createdAt: createdAt.toISOString(),
    ...(userId === null ? {} : { authorId: userId }),
  };
}

/**
 * The two reads every uncached list and post page makes, built once per database: Drizzle
 * otherwise rebuilds their SQL from the column objects on each call (~100 µs of a list page in a
 * profile, more than the rows' own mapping).
 */
function pageReads(db: Db<BlogSchema>) {
  return {
    list: db
      .select(summaryColumns)
      .from(posts)
      .orderBy(desc(posts.publishedAt), desc(posts.id))
      .prepare('blog_list_posts'),
    get: db
      .select(postColumns)
      .from(posts)
      .where(eq(posts.id, sql.placeholder('id')))
      .prepare('blog_get_post'),
  };
}

/** A statement runner inside the comment's transaction. */
export type CommentTransaction = Parameters<Parameters<Db<BlogSchema>['transaction']>[0]>[0];

export interface DatabasePostsRepositoryOptions {
  /**
   * Runs inside the transaction that adds the comment, after its row is written: what it writes
   * (an outbox event) commits with the comment or not at all.
   */
  readonly onCommentAdded?: (tx: CommentTransaction, comment: Comment) => Promise<void>;
}

/**
 * The `PostsRepository` over the blog's tables: the same answers as the in-memory one, from SQL.
 * `database` hands out the open database; the server opens it after its listener is built.
 */
export function createDatabasePostsRepository(
  database: () => Db<BlogSchema>,
  options: DatabasePostsRepositoryOptions = {},
): PostsRepository {
  const prepared = new WeakMap<Db<BlogSchema>, ReturnType<typeof pageReads>>();
  const reads = () => {
    const db = database();
    let found = prepared.get(db);
    if (!found) prepared.set(db, (found = pageReads(db)));
    return found;
  };
  return {
    async listPosts() {
      const rows = await reads().list.execute();
      return rows.map(summaryOf);
    },
    async getPost(id) {
      const [row] = await reads().get.execute({ id });
      return row ? postOf(row) : undefined;
    },
    async getPostSource(id) {
      const [row] = await database()
        .select({ ...postColumns, bodyMarkdown: posts.bodyMarkdown })
        .from(posts)
        .where(eq(posts.id, id));
      if (!row) return undefined;
      const { bodyMarkdown, ...post } = row;
      return { post: postOf(post), bodyMarkdown };
    },
    async createPost(post) {
      const [row] = await database()
        .insert(posts)
        .values({ ...post, publishedAt: sql`now()` })
        .returning(postColumns);
      return postOf(row!);
    },
    async updatePost(id, { title, excerpt, bodyMarkdown, bodyHtml, coverUrl }) {
      const [row] = await database()
        .update(posts)
        .set({ title, excerpt, bodyMarkdown, bodyHtml, coverUrl, updatedAt: sql`now()` })
        .where(eq(posts.id, id))
        .returning(postColumns);
      return row ? postOf(row) : undefined;
    },
    async listComments(postId) {
      const [post] = await database().select({ id: posts.id }).from(posts).where(eq(posts.id, postId));
      if (!post) return undefined;
      const rows = await database()
        .select()
        .from(comments)
        .where(and(eq(comments.postId, postId), isNull(comments.hiddenAt)))
        .orderBy(asc(comments.createdAt), asc(comments.id));
      return rows.map(commentOf);
    },
    async addComment(postId, { author, body, authorId }) {
      return transaction(database(), async (tx) => {
        // The increment comes first: it locks the post's row, so concurrent comments on one post
        // count one after the other, and it tells whether the post exists.
        const [post] = await tx
          .update(posts)
          .set({ commentCount: sql`${posts.commentCount} + 1` })
          .where(eq(posts.id, postId))
          .returning({ id: posts.id });
        if (!post) return undefined;
        const [row] = await tx
          .insert(comments)
          .values({ postId, author, body, userId: authorId ?? null })
          .returning();
        const comment = commentOf(row!);
        await options.onCommentAdded?.(tx, comment);
        return comment;
      });
    },
  };
}
