export { ssrPages } from '../render/ssr-pages.js';
export type { SsrPagesOptions } from '../render/ssr-pages.js';
export { loadClientAssets } from '../render/client-manifest.js';
export type { ClientAsset, ClientAssets } from '../render/client-manifest.js';
export { renderDocument, APP_ELEMENT_ID } from '../render/document.js';
export { escapeHtml } from '../render/html.js';
