// The production blog as a process, exactly as src/server/entry.ts runs it (createBlogServer, then
// runServer), with knobs the operations tests need:
//   OPS_GET_POST_DELAY_MS  every getPost waits this long (a slow database)
//   OPS_TRIGGER            'unhandled-rejection' | 'uncaught-exception', fired OPS_TRIGGER_DELAY_MS after listening
//   OPS_ACCEPTED_FILE      where to write, at exit, every request the HTTP server accepted (by x-test-id)
//                          and the status it answered
//   OPS_SEED_POSTS         '1': the seed posts in memory (createInMemoryPostsRepository) instead of the fixture
import { writeFileSync } from 'node:fs';
// runServer from the build, as the entry's: the package's own would load the framework a second time.
import { createBlogServer, createInMemoryPostsRepository, runServer } from '../../dist/server/app.js';
import { fixturePostsRepository } from './fixture-posts-repository.mjs';

const repository =
  process.env.OPS_SEED_POSTS === '1'
    ? createInMemoryPostsRepository()
    : fixturePostsRepository({
        count: 3,
        label: 'Ops',
        commentsPerPost: 1,
        getPostDelayMs: Number(process.env.OPS_GET_POST_DELAY_MS ?? 0),
      });

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
  setTimeout(
    () => {
      if (trigger === 'unhandled-rejection')
        void Promise.reject(new Error('ops fixture: a promise nobody awaited rejected'));
      if (trigger === 'uncaught-exception') throw new Error('ops fixture: thrown from a timer');
    },
    Number(process.env.OPS_TRIGGER_DELAY_MS ?? 200),
  );
}
