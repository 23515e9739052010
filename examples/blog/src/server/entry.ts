import { runApp } from '@composable-svelte/server';
import { ConfigError, readEnvFile } from '@composable-svelte/server/config';
import { createBlogServer } from './app.js';

// Variables already in the environment win over the .env file.
const env = { ...readEnvFile('.env'), ...process.env };
try {
  await runApp(() => createBlogServer({ env }), { env });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
