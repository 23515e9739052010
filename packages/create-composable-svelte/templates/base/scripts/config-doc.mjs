// `npm run docs:config`: docs/configuration.md and .env.example from the app's env schema (built
// into dist/server/env.js) and the server's.
import { writeAppConfigDocs } from '@composable-svelte/server/config';
import { appEnv } from '../dist/server/env.js';

for (const file of writeAppConfigDocs(appEnv, process.cwd())) console.log(`wrote ${file}`);
