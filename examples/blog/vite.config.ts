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
        rollupOptions: {
          input: 'src/client/entry.ts',
          // Pages are chunks of their own; everything else is needed by the first page anyway, and
          // one file compresses better than the handful of small shared chunks the split would make.
          // The entry stays out of it: it awaits the first page's chunk, which imports the shared
          // chunk, so an entry inside that chunk would wait on itself and never hydrate. So does the
          // live client, imported on the first post page only (createLazyLiveClient), and each
          // locale's messages: a page fetches its own locale's only.
          output: {
            manualChunks: (id: string) =>
              id.includes('/src/shared/pages/') ||
              /\/src\/shared\/i18n\/(en|fr)(-member)?\.ts$/.test(id) ||
              id.endsWith('/src/client/entry.ts') ||
              /\/core\/dist\/live\/(?!lazy\.js)/.test(id)
                ? undefined
                : 'app',
          },
        },
      },
}));
