// The rows of the two measured pages, read as ours reads them: the same statements (the SQL
// Drizzle generates for the blog's repository, examples/blog/src/server/db/database-posts-repository.ts)
// on the same database, mapped to the same JSON shape, keys in the same order. The database is
// the tier's: DATABASE_URL names the PostgreSQL server (a pg pool of the blog's default size);
// otherwise DATABASE_TEMPLATE names the blog's build template, loaded into an in-memory PGlite as
// ours does for DATABASE_DIR=memory://.
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';

const LIST_POSTS =
  'select "id", "title", "author", "published_at", "excerpt", "comment_count", "cover_url" from "posts" order by "posts"."published_at" desc, "posts"."id" desc';
const GET_POST =
  'select "id", "title", "author", "published_at", "excerpt", "comment_count", "cover_url", "body_html", "author_id", "updated_at" from "posts" where "posts"."id" = $1';

/** The blog's DATABASE_POOL_MAX default. */
const POOL_MAX = 10;

const summaryOf = (row) => ({
  id: row.id,
  title: row.title,
  author: row.author,
  publishedAt: row.published_at.toISOString(),
  excerpt: row.excerpt,
  commentCount: row.comment_count,
  coverUrl: row.cover_url,
});

const postOf = (row) => ({
  ...summaryOf(row),
  bodyHtml: row.body_html,
  authorId: row.author_id,
  updatedAt: row.updated_at?.toISOString() ?? null,
});

async function open({ DATABASE_URL, DATABASE_TEMPLATE }) {
  if (DATABASE_URL) {
    // Imported only for a server, as ours does.
    const { default: pg } = await import('pg');
    return new pg.Pool({ connectionString: DATABASE_URL, max: POOL_MAX });
  }
  if (DATABASE_TEMPLATE) {
    return PGlite.create({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(DATABASE_TEMPLATE)]) });
  }
  throw new Error('set DATABASE_URL (PostgreSQL) or DATABASE_TEMPLATE (the blog’s embedded database template)');
}

/** `list()`: every post's summary, newest first. `get(id)`: one post, or undefined. */
export async function openPosts(env) {
  const database = await open(env);
  return {
    list: async () => (await database.query(LIST_POSTS)).rows.map(summaryOf),
    get: async (id) => {
      const [row] = (await database.query(GET_POST, [id])).rows;
      return row && postOf(row);
    },
  };
}
