import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // Same as the blog: every asset is a file, nothing is inlined as a data: URL.
  build: { assetsInlineLimit: 0 },
});
