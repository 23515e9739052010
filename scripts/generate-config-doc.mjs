// Writes docs/configuration.md and .env.example from the server's configuration schema
// (run after building the server: `npm run docs:config`).
import { writeFileSync } from 'node:fs';
import { renderConfigDoc, renderEnvExample } from '../packages/server/dist/subpaths/config.js';

for (const [file, content] of [
  ['../docs/configuration.md', renderConfigDoc()],
  ['../.env.example', renderEnvExample()],
]) {
  const target = new URL(file, import.meta.url);
  writeFileSync(target, content);
  console.log(`wrote ${target.pathname}`);
}
