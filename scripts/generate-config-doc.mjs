// Writes docs/configuration.md from the server's configuration schema (run after building the server).
import { writeFileSync } from 'node:fs';
import { renderConfigDoc } from '../packages/server/dist/index.js';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, renderConfigDoc());
console.log(`wrote ${target.pathname}`);
