import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [svelte()],
  test: { name: 'server', include: ['tests/**/*.test.ts'], environment: 'node' },
});
