// The production blog on its seed posts held in memory: no database to open, migrate or seed, so
// a start measures the server itself (module loading, plugins, the first listen).
// runServer from the blog's build, as its entry runs it: from the package it would load a second
// copy of the framework (the build bundles it).
import { createBlogServer, createInMemoryPostsRepository, runServer } from '../../examples/blog/dist/server/app.js';

await runServer(await createBlogServer({ repository: createInMemoryPostsRepository(), env: process.env }));
