import { FrameworkError } from '@composable-svelte/core';

/** The server was started before the client build, or pointed at the wrong directory. */
export class ClientManifestError extends FrameworkError {
  constructor(manifestPath: string, cause: unknown) {
    super(
      'CS2001',
      `Cannot read the client build manifest at ${manifestPath}`,
      'run the client build first (`vite build`, with `build.manifest: true` in vite.config) and pass its outDir as `clientDir`; in development use `composable-svelte dev`, which needs no build',
      { cause },
    );
    this.name = 'ClientManifestError';
  }
}

/** `clientEntry` names a module the client build did not take as an entry. */
export class ClientEntryError extends FrameworkError {
  constructor(entry: string, entries: readonly string[]) {
    super(
      'CS2002',
      `The client build has no entry "${entry}" (its entries: ${entries.join(', ') || 'none'})`,
      "make the app's `clientEntry` and vite.config's `build.rollupOptions.input` name the same file, relative to the app's root (e.g. src/client/entry.ts)",
    );
    this.name = 'ClientEntryError';
  }
}
