// Build step (`npm run build`): a migrated, seeded embedded database, dumped next to the server
// bundle. A first start (or a test server on memory://) loads it in ~0.5 s instead of running
// initdb, the migrations and the seed.
import { writeFileSync } from 'node:fs';
import { migrate, openDatabase } from '@composable-svelte/server/db';
import { DATABASE_TEMPLATE, MIGRATIONS } from './paths.js';
import { blogSchema } from './schema.js';
import { seedBlogDatabase } from './seed-database.js';

const database = await openDatabase({ dataDir: 'memory://', schema: blogSchema });
try {
  await migrate(database.db, MIGRATIONS);
  await seedBlogDatabase(database.db);
  const dump = await database.dump();
  writeFileSync(DATABASE_TEMPLATE, Buffer.from(await dump.arrayBuffer()));
  console.error(`[blog] database template written: ${DATABASE_TEMPLATE} (${dump.size} bytes)`);
} finally {
  await database.close();
}
