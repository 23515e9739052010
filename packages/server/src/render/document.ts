import { serializeState, STATE_ELEMENT_ID } from '@composable-svelte/core/ssr';
import type { ClientAsset, ClientAssets } from './client-manifest.js';
import { escapeHtml } from './html.js';

export interface DocumentParts {
  readonly lang: string;
  readonly head: string;
  readonly body: string;
  readonly state: unknown;
  readonly assets: ClientAssets;
  /** Chunks this page needs beyond the entry (its lazily loaded page component), preloaded too. */
  readonly lazyChunks?: readonly ClientAsset[];
  /** Used only when the app's head has no <title>: every page gets exactly one. */
  readonly fallbackTitle: string;
}

const integrity = (asset: ClientAsset): string =>
  asset.integrity === undefined ? '' : ` integrity="${asset.integrity}"`;

/** Vite reads the nonce for the styles it injects from this meta element (its `html.cspNonce` convention). */
const devHead = ({ dev }: ClientAssets): string =>
  dev
    ? `<meta property="csp-nonce" nonce="${escapeHtml(dev.styleNonce)}">` +
      dev.scripts.map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('')
    : '';

/** Hydration target: the root component renders inside it on the server and in the browser. */
export const APP_ELEMENT_ID = 'app';

/**
 * The whole page. No inline executable script: state travels as a JSON data block and the
 * bootstrap is an external module, so a strict CSP needs no 'unsafe-inline'.
 */
export function renderDocument(parts: DocumentParts): string {
  const { assets } = parts;
  const styles = assets.styles
    .map((css) => `<link rel="stylesheet" href="${escapeHtml(css.href)}"${integrity(css)} crossorigin="anonymous">`)
    .join('');
  const preloads = [assets.script, ...assets.preloads, ...(parts.lazyChunks ?? [])]
    .map((js) => `<link rel="modulepreload" href="${escapeHtml(js.href)}"${integrity(js)} crossorigin="anonymous">`)
    .join('');
  const title = /<title[\s>]/i.test(parts.head) ? '' : `<title>${escapeHtml(parts.fallbackTitle)}</title>`;
  return (
    `<!doctype html><html lang="${escapeHtml(parts.lang)}"><head>` +
    `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    title +
    devHead(assets) +
    parts.head +
    styles +
    preloads +
    `</head><body><div id="${APP_ELEMENT_ID}">${parts.body}</div>` +
    `<script type="application/json" id="${STATE_ELEMENT_ID}">${serializeState(parts.state)}</script>` +
    `<script type="module" src="${escapeHtml(assets.script.href)}"${integrity(assets.script)} crossorigin="anonymous"></script>` +
    `</body></html>`
  );
}

/** Last resort when the app's own error page cannot render: plain, self-contained, no script. */
export function renderFallbackErrorPage(status: number, message: string, requestId: string, lang: string): string {
  return (
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${status} ${escapeHtml(message)}</title></head>` +
    `<body><main><h1>${status} ${escapeHtml(message)}</h1><p>Request id: <code>${escapeHtml(requestId)}</code></p></main></body></html>`
  );
}
