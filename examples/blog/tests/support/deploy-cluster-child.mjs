// The production blog under runApp (node:cluster when WEB_CONCURRENCY > 1), exactly as
// src/server/entry.ts runs it, but with a posts repository whose getPost can be made slow, so a
// test can hold a request in flight while the cluster is signalled:
//   DEPLOY_GET_POST_DELAY_MS  every getPost waits this long
import { runApp } from '@composable-svelte/server';
import { createBlogServer } from '../../dist/server/app.js';

const delayMs = Number(process.env.DEPLOY_GET_POST_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const posts = [1, 2].map((id) => ({
  id,
  title: `Cluster post ${id}`,
  author: 'Deploy Fixture',
  publishedAt: `2024-0${id}-01T10:00:00Z`,
  excerpt: `Post ${id}, served by the cluster test fixture.`,
  commentCount: 0,
  bodyHtml: `<p>Post ${id}, served by the cluster test fixture.</p>`,
}));

const repository = {
  async listPosts() {
    return posts.map(({ bodyHtml: _omit, ...summary }) => summary);
  },
  async getPost(id) {
    if (delayMs > 0) await sleep(delayMs);
    return posts.find((post) => post.id === id);
  },
  async listComments(postId) {
    return posts.some((post) => post.id === postId) ? [] : undefined;
  },
};

await runApp(() => createBlogServer({ repository, env: process.env }), { env: process.env });
