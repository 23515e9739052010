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
          input: {
            entry: 'src/server/entry.ts',
            app: 'src/server/app.ts',
            'make-db-template': 'src/server/db/make-template.ts',
            'db-cli': 'src/server/db/db-cli.ts',
            'user-cli': 'src/server/db/user-cli.ts',
          },
          // Flat output: app.js finds the client build at ../client whichever chunk it lands in.
          output: { chunkFileNames: '[name]-[hash].js' },
        },
      }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        manifest: true,
        // Every asset becomes a hashed file: a strict CSP has no data: sources to allow.
        assetsInlineLimit: 0,
        // No preloading by Vite of what a lazily imported chunk imports: the server preloads the first
        // page's chunks, a link preloads its page's on hover and focus, and the page's own imports follow
        // one round trip later. Vite's way would put its helper and the list of every chunk's imports,
        // 0.6 kB gzip, in the JavaScript every first visit loads.
        modulePreload: false,
        rollupOptions: {
          input: 'src/client/entry.ts',
          // The app chunk is what the entry imports statically: all a page needs besides its own chunk.
          // Pages, the features and messages they alone show (forms, the live channel, their texts),
          // and each locale's messages are chunks of their own, so a first visit fetches only its
          // page's. The entry stays out of it: it awaits the first page's chunk, which imports the app
          // chunk, so an entry inside that chunk would wait on itself and never hydrate.
          output: {
            codeSplitting: {
              groups: [{ name: 'app', tags: ['$initial'], test: (id: string) => !id.endsWith('/src/client/entry.ts') }],
            },
          },
        },
      },
}));
