import { database } from './database';
import type { Post, PostSummary } from './model';
import { GET_POST, LIST_POSTS, postOf, summaryOf, type PostRow, type SummaryRow } from './queries';

export async function listPosts(): Promise<readonly PostSummary[]> {
  const { rows } = await (await database()).query<SummaryRow>(LIST_POSTS);
  return rows.map(summaryOf);
}

export async function getPost(id: number): Promise<Post | undefined> {
  const { rows } = await (await database()).query<PostRow>(GET_POST, [id]);
  return rows[0] && postOf(rows[0]);
}
