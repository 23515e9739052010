// Build step (`npm run build`): a migrated, seeded embedded database, dumped next to the server
// bundle. A first start (or a test server on memory://) loads it in ~0.5 s instead of running
// initdb, the migrations, the seed and the job queue's schema.
import { writeFileSync } from 'node:fs';
import { loadServerConfig } from '@composable-svelte/server/config';
import { migrate, openDatabase, type Database } from '@composable-svelte/server/db';
import { createBlogJobs } from '../blog-jobs.js';
import { DATABASE_TEMPLATE, MIGRATIONS } from './paths.js';
import { blogSchema } from './schema.js';
import { seedBlogDatabase } from './seed-database.js';

const database = await openDatabase({ dataDir: 'memory://', schema: blogSchema });
try {
  await migrate(database.db, MIGRATIONS);
  await seedBlogDatabase(database.db);
  // pg-boss's schema, queues and schedules, as the server's start would create them.
  const jobs = createBlogJobs({
    database: database as unknown as Database<Record<string, unknown>>,
    config: loadServerConfig({ NODE_ENV: 'development' }),
    work: () => {
      throw new Error('no job runs while the template is made');
    },
    logger: console,
  });
  await jobs.start();
  await jobs.stop({ timeoutMs: 1000 });
  const dump = await database.dump();
  writeFileSync(DATABASE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  console.error(`[blog] database template written: ${DATABASE_TEMPLATE} (${dump.size} bytes)`);
} finally {
  await database.close();
}
