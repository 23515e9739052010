import type { AppDefinition } from '../app.js';
import type { ClientAsset, ClientAssets } from './client-manifest.js';

/** The client chunks of the page a state shows, when the app loads its pages lazily. */
export function lazyChunksOf<S, A, D, Dest extends { route: string }>(
  app: AppDefinition<S, A, D, Dest>,
  assets: ClientAssets,
  state: S,
): readonly ClientAsset[] {
  const module = app.pageModule?.(state);
  return module === undefined ? [] : assets.lazyChunks(module);
}
