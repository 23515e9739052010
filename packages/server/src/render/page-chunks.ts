import type { AppDefinition } from '../app.js';
import type { ClientAsset, ClientAssets } from './client-manifest.js';

/** The client chunks of the page a state shows (and its locale's messages), when the app loads them lazily. */
export function lazyChunksOf<S, A, D, Dest extends { route: string }>(
  app: AppDefinition<S, A, D, Dest>,
  assets: ClientAssets,
  state: S,
): readonly ClientAsset[] {
  const modules = app.pageModule?.(state);
  if (modules === undefined) return [];
  if (typeof modules === 'string') return assets.lazyChunks(modules);
  // Two modules may share a chunk: each is preloaded once.
  const chunks = new Map(modules.flatMap((module) => assets.lazyChunks(module)).map((chunk) => [chunk.href, chunk]));
  return [...chunks.values()];
}
