// The production blog under runApp (node:cluster when WEB_CONCURRENCY > 1), exactly as
// src/server/entry.ts runs it, but with a posts repository whose getPost can be made slow, so a
// test can hold a request in flight while the cluster is signalled:
//   DEPLOY_GET_POST_DELAY_MS  every getPost waits this long
import { runApp } from '@composable-svelte/server';
import { createBlogServer } from '../../dist/server/app.js';
import { fixturePostsRepository } from './fixture-posts-repository.mjs';

const repository = fixturePostsRepository({
  count: 2,
  label: 'Cluster',
  getPostDelayMs: Number(process.env.DEPLOY_GET_POST_DELAY_MS ?? 0),
});

await runApp(() => createBlogServer({ repository, env: process.env }), { env: process.env });
