import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Tests run against the production build (`npm test` builds first), as users will. */
export const blogRoot = fileURLToPath(new URL('../..', import.meta.url));
export const builtApp = fileURLToPath(new URL('../../dist/server/app.js', import.meta.url));
export const builtEntry = fileURLToPath(new URL('../../dist/server/entry.js', import.meta.url));

type AppModule = typeof import('../../src/server/app.js');

export async function loadBuiltApp(): Promise<AppModule> {
  if (!existsSync(builtApp)) {
    throw new Error(`No production build at ${builtApp}: run \`npm run build\` first (npm test does).`);
  }
  return (await import(/* @vite-ignore */ builtApp)) as AppModule;
}
