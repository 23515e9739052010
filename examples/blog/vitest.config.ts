import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [svelte()],
  test: {
    name: 'blog',
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // The servers the tests spawn inherit it: mail from their sign-ups goes to the system's
    // temporary directory, not into the working copy's .data/mail.
    env: { MAIL_DIR: join(tmpdir(), 'composable-svelte-blog-test-mail') },
    // Browser tests start a production server and Chromium: allow them real time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
