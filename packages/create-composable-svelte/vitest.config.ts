import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'create-composable-svelte',
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Each test builds and starts a generated app: real processes, real time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
