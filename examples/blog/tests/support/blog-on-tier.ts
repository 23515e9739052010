import type { Tier } from '@composable-svelte/testing';
import { loadBuiltApp } from './built-server.js';
import type { BlogServer } from './form-browser.js';

type BlogServerOptions = NonNullable<Parameters<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>[0]>;

export interface BlogOnTier {
  readonly server: BlogServer;
  /** Closes the server, then drops its PostgreSQL database (an embedded one lives in memory). */
  close(): Promise<void>;
}

/**
 * The built blog on one database tier: the embedded database in memory, or a fresh PostgreSQL
 * database of its own, so each tier's run starts empty.
 */
export async function startBlogOnTier(
  tier: Tier,
  env: Record<string, string>,
  options: Omit<BlogServerOptions, 'env'> = {},
): Promise<BlogOnTier> {
  const app = await loadBuiltApp();
  const fresh = tier.name === 'postgres' ? await tier.fresh() : undefined;
  const databaseEnv = fresh ? { DATABASE_URL: fresh.url! } : { DATABASE_DIR: 'memory://' };
  let server: BlogServer;
  try {
    server = await app.createBlogServer({ ...options, env: { ...env, ...databaseEnv } });
  } catch (error) {
    await fresh?.dispose();
    throw error;
  }
  return {
    server,
    async close() {
      await server.close();
      await fresh?.dispose();
    },
  };
}
