export { cacheControl, publicPageCacheControl } from '../http/cache-control.js';
export type { CacheControlOptions } from '../http/cache-control.js';
export { compression } from '../http/compression.js';
export type { CompressionOptions } from '../http/compression.js';
export { representation, representationFinal, addVary, negotiateEncoding } from '../http/representation.js';
export { staticAssets } from '../http/static-assets.js';
export type { StaticAssetsOptions } from '../http/static-assets.js';
