import { runApp } from '@composable-svelte/server';
import { ConfigError, readEnvFile } from '@composable-svelte/server/config';
import { MigrationError } from '@composable-svelte/server/db';
import { createAppServer } from './app.js';
import { appEnv } from './env.js';

// Variables already in the environment win over the .env file.
const env = { ...readEnvFile('.env'), ...process.env };
try {
  await runApp(() => createAppServer({ env }), { env, appEnv });
} catch (error) {
  // Every configuration problem (the app's and the server's) in one list, or the migration that
  // failed: the message is the whole story, not a stack.
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
