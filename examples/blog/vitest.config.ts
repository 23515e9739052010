import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [svelte()],
  test: {
    name: 'blog',
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Browser tests start a production server and Chromium: allow them real time.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
