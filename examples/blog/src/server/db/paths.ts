import { fileURLToPath } from 'node:url';

// Resolved from the built bundle (dist/server/*.js), in the repository and the runtime artifact alike;
// under `npm run dev` this module runs from its source, src/server/db/.
/** drizzle-kit's migrations. */
export const MIGRATIONS = fileURLToPath(
  new URL(import.meta.env.DEV ? '../../../drizzle' : '../../drizzle', import.meta.url),
);
/** The migrated, seeded embedded database that `npm run build` dumps (make-template.ts). */
export const DATABASE_TEMPLATE = fileURLToPath(new URL('./db-template.tar.gz', import.meta.url));
