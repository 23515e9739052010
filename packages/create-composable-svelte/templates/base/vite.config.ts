import { composableSvelteBuild } from '@composable-svelte/server/vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [svelte(), composableSvelteBuild()],
  build: isSsrBuild
    ? {
        outDir: 'dist/server',
        emptyOutDir: true,
        assetsInlineLimit: 0,
        sourcemap: true,
        rollupOptions: {
          // env.js on its own: `npm run docs:config` reads the app's variables from it.
          input: { entry: 'src/server/entry.ts', app: 'src/server/app.ts', env: 'src/server/env.ts' },
          output: { chunkFileNames: '[name]-[hash].js' },
        },
      }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        manifest: true,
        // Every asset becomes a hashed file: a strict CSP has no data: sources to allow.
        assetsInlineLimit: 0,
        rollupOptions: { input: 'src/client/entry.ts' },
      },
}));
