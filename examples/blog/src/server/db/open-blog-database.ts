import { existsSync, readFileSync } from 'node:fs';
import type { ServerConfig } from '@composable-svelte/server';
import { databaseOptions, migrate, openDatabase, type Database, type Db } from '@composable-svelte/server/db';
import { DATABASE_TEMPLATE } from './paths.js';
import { blogSchema, type BlogSchema } from './schema.js';
import { seedBlogDatabase } from './seed-database.js';

/**
 * The blog's database as the configuration names it (DATABASE_URL, else the embedded one in
 * DATABASE_DIR), migrated and, when empty, seeded — ready before the server takes a request.
 */
export async function openBlogDatabase(
  config: ServerConfig,
  migrationsFolder: string,
): Promise<{ database: Database<Record<string, unknown>>; db: Db<BlogSchema> }> {
  // A new embedded database starts from the build's template; migrate and seed then find little to do.
  const template = existsSync(DATABASE_TEMPLATE) ? () => new Blob([readFileSync(DATABASE_TEMPLATE)]) : undefined;
  const database = await openDatabase({
    ...databaseOptions(config),
    schema: blogSchema,
    ...(template ? { template } : {}),
  });
  try {
    await migrate(database.db, migrationsFolder);
    await seedBlogDatabase(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  // The server holds it untyped (it only migrates, probes and closes it); the blog keeps the schema.
  return { database: database as unknown as Database<Record<string, unknown>>, db: database.db };
}
