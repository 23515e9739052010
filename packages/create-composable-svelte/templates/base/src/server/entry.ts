import { runApp } from '@composable-svelte/server';
import { ConfigError, readEnvFile } from '@composable-svelte/server/config';
import { createAppServer } from './app.js';
import { appEnv } from './env.js';

// Variables already in the environment win over the .env file.
const env = { ...readEnvFile('.env'), ...process.env };
try {
  await runApp(() => createAppServer({ env }), { env, appEnv });
} catch (error) {
  // Every configuration problem (the app's and the server's) in one list: the message is the whole story.
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
