import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Absolute paths the harness works with. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const CACHE = join(BENCH, '.cache');
export const RESULTS = join(BENCH, 'results');
export const BLOG = join(ROOT, 'examples', 'blog');
export const BLOG_ENTRY = join(BLOG, 'dist', 'server', 'entry.js');
export const KIT = join(BENCH, 'peers', 'sveltekit');
export const KIT_GENERATED = join(KIT, 'src', 'lib', 'generated');
export const KIT_BUILD_ENTRY = join(KIT, 'build', 'index.js');
export const RAW_FASTIFY = join(BENCH, 'peers', 'raw-fastify.mjs');
export const MINIMAL_SSR = join(BENCH, 'peers', 'minimal-ssr', 'server.mjs');
/** The production blog on in-memory seed posts: start-up without a database. */
export const BLOG_WITHOUT_DATABASE = join(BENCH, 'lib', 'blog-without-database.mjs');
/** The blog's migrated, seeded embedded database, dumped by its build (the peer's embedded data too). */
export const BLOG_DB_TEMPLATE = join(BLOG, 'dist', 'server', 'db-template.tar.gz');
/** The blog's own `db:migrate` / `db:seed` entry. */
export const BLOG_DB_CLI = join(BLOG, 'dist', 'server', 'db-cli.js');
