import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientEntryError, ClientManifestError } from './client-build-errors.js';

import { createLazyChunks, type ManifestChunk } from './lazy-chunks.js';

export interface ClientAsset {
  /** URL path, e.g. /assets/entry-3f2a1b.js */
  readonly href: string;
  /** Subresource Integrity value (sha384); absent for modules the dev server transforms per request. */
  readonly integrity?: string;
}

/** The tags a page needs for its client entry, resolved once at start-up. */
export interface ClientAssets {
  readonly script: ClientAsset;
  /** The entry's static imports, for modulepreload. */
  readonly preloads: readonly ClientAsset[];
  readonly styles: readonly ClientAsset[];
  /**
   * What a lazily imported module (a page component in its own chunk) needs beyond the entry, by
   * its manifest key; throws for a module the build did not split out.
   */
  readonly lazyChunks: (module: string) => readonly ClientAsset[];
  /** Development only: modules loaded before the entry (Vite's HMR client) and the nonce its styles carry. */
  readonly dev?: { readonly scripts: readonly string[]; readonly styleNonce: string };
}

/**
 * Reads Vite's manifest and hashes every file the document references, so each page carries
 * integrity attributes without hashing anything per request.
 */
export function loadClientAssets(clientDir: string, entry: string, base = '/'): ClientAssets {
  const manifestPath = join(clientDir, '.vite', 'manifest.json');
  let manifest: Record<string, ManifestChunk>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  } catch (error) {
    throw new ClientManifestError(manifestPath, error);
  }
  const entryChunk = manifest[entry];
  if (!entryChunk) {
    throw new ClientEntryError(
      entry,
      Object.keys(manifest).filter((k) => manifest[k]?.isEntry),
    );
  }
  const asset = (file: string): ClientAsset => ({
    href: `${base}${file}`,
    integrity: `sha384-${createHash('sha384')
      .update(readFileSync(join(clientDir, file)))
      .digest('base64')}`,
  });

  const preloads: ClientAsset[] = [];
  const styles: ClientAsset[] = [];
  const seenChunks = new Set<string>();
  const seenCss = new Set<string>();
  const visit = (key: string, isEntry: boolean) => {
    if (seenChunks.has(key)) return;
    seenChunks.add(key);
    const chunk = manifest[key];
    if (!chunk) return;
    if (!isEntry) preloads.push(asset(chunk.file));
    for (const css of chunk.css ?? []) {
      if (!seenCss.has(css)) {
        seenCss.add(css);
        styles.push(asset(css));
      }
    }
    for (const imported of chunk.imports ?? []) visit(imported, false);
  };
  visit(entry, true);
  return { script: asset(entryChunk.file), preloads, styles, lazyChunks: createLazyChunks(manifest, entry, asset) };
}
