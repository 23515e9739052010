import { runApp } from '@composable-svelte/server';
import { ConfigError, readEnvFile } from '@composable-svelte/server/config';
import { MigrationError } from '@composable-svelte/server/db';
import { createBlogServer } from './app.js';

// Variables already in the environment win over the .env file.
const env = { ...readEnvFile('.env'), ...process.env };
try {
  await runApp(() => createBlogServer({ env }), { env });
} catch (error) {
  // Both say what is wrong and what was left as it was: the message is the whole story, not a stack.
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
