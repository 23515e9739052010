import { ConfigError, readEnvFile, runServer } from '@composable-svelte/server';
import { createBlogServer } from './app.js';

try {
  // Variables already in the environment win over the .env file.
  const server = await createBlogServer({ env: { ...readEnvFile('.env'), ...process.env } });
  await runServer(server);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
