import { error } from '@sveltejs/kit';
import { getPost } from '$lib/server/posts';
import type { PageServerLoad } from './$types';

// The blog's id rule: a positive integer up to 1e9, written without leading zeros.
const ID = /^[1-9][0-9]{0,9}$/;

export const load: PageServerLoad = async ({ params }) => {
  const id = ID.test(params.id) ? Number(params.id) : Number.NaN;
  const post = id <= 1_000_000_000 ? await getPost(id) : undefined;
  if (!post) error(404, `Post ${params.id} does not exist`);
  return { post };
};
