// The production blog on its seed posts held in memory: no database to open, migrate or seed, so
// a start measures the server itself (module loading, plugins, the first listen).
import { runServer } from '@composable-svelte/server';
import { createBlogServer, createInMemoryPostsRepository } from '../../examples/blog/dist/server/app.js';

await runServer(await createBlogServer({ repository: createInMemoryPostsRepository(), env: process.env }));
