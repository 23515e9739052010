// `npm run db:migrate` / `npm run db:seed` (after a build): what start-up does to the database, on
// demand — e.g. migrating before rolling out new instances. Reads the same settings as the server.
import { ConfigError, loadServerConfig, readEnvFile } from '@composable-svelte/server/config';
import { databaseOptions, migrate, MigrationError, openDatabase } from '@composable-svelte/server/db';
import { MIGRATIONS } from './paths.js';
import { blogSchema } from './schema.js';
import { seedBlogDatabase } from './seed-database.js';

const command = process.argv[2];
if (command !== 'migrate' && command !== 'seed') {
  console.error('usage: db-cli migrate | seed');
  process.exit(2);
}
try {
  const config = loadServerConfig({ ...readEnvFile('.env'), ...process.env });
  const database = await openDatabase({ ...databaseOptions(config), schema: blogSchema });
  try {
    const { applied } = await migrate(database.db, MIGRATIONS);
    console.error(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'migrations: up to date');
    if (command === 'seed') {
      const outcome = await seedBlogDatabase(database.db);
      console.error(outcome === 'seeded' ? 'seeded the empty database' : 'seed: the database already has posts');
    }
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
