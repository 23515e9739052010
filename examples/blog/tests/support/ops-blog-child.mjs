// The production blog as a process, exactly as src/server/entry.ts runs it (createBlogServer, then
// runServer), with knobs the operations tests need:
//   OPS_GET_POST_DELAY_MS  every getPost waits this long (a slow database)
//   OPS_TRIGGER            'unhandled-rejection' | 'uncaught-exception', fired OPS_TRIGGER_DELAY_MS after listening
//   OPS_ACCEPTED_FILE      where to write, at exit, every request the HTTP server accepted (by x-test-id)
//                          and the status it answered
import { writeFileSync } from 'node:fs';
import { runServer } from '@composable-svelte/server';
import { createBlogServer } from '../../dist/server/app.js';

const delayMs = Number(process.env.OPS_GET_POST_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const body = (n) => `<p>Post ${n} body, served by the operations test fixture.</p>`;
const posts = [1, 2, 3].map((id) => ({
  id,
  title: `Fixture post ${id}`,
  author: 'Ops Fixture',
  publishedAt: `2024-0${id}-01T10:00:00Z`,
  excerpt: `Post ${id} body, served by the operations test fixture.`,
  commentCount: 1,
  bodyHtml: body(id),
}));
const comments = new Map(posts.map((post) => [post.id, [{ id: post.id * 10, postId: post.id, author: 'Reader', body: 'Nice.', createdAt: '2024-05-01T10:00:00Z' }]]));

/** A small PostsRepository: the in-memory one is not exported from the build. */
const repository = {
  async listPosts() {
    return posts.map(({ bodyHtml: _omit, ...summary }) => summary);
  },
  async getPost(id) {
    if (delayMs > 0) await sleep(delayMs);
    return posts.find((post) => post.id === id);
  },
  async listComments(postId) {
    return posts.some((post) => post.id === postId) ? comments.get(postId) : undefined;
  },
};

const server = await createBlogServer({ repository, env: process.env });

// What the HTTP server itself accepted (parsed a request for), whatever Fastify then did with it.
const accepted = new Map();
server.server.on('request', (req, res) => {
  const id = req.headers['x-test-id'];
  if (typeof id !== 'string') return;
  accepted.set(id, { url: req.url, status: null });
  res.once('finish', () => accepted.set(id, { url: req.url, status: res.statusCode }));
});
if (process.env.OPS_ACCEPTED_FILE) {
  const file = process.env.OPS_ACCEPTED_FILE;
  process.on('exit', () => writeFileSync(file, JSON.stringify(Object.fromEntries(accepted))));
}

await runServer(server);

const trigger = process.env.OPS_TRIGGER;
if (trigger) {
  setTimeout(() => {
    if (trigger === 'unhandled-rejection') void Promise.reject(new Error('ops fixture: a promise nobody awaited rejected'));
    if (trigger === 'uncaught-exception') throw new Error('ops fixture: thrown from a timer');
  }, Number(process.env.OPS_TRIGGER_DELAY_MS ?? 200));
}
