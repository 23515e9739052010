export { prerenderSite } from './prerender-site.js';
export type { PrerenderOptions, PrerenderResult, PrerenderedPage } from './prerender-site.js';
export { PrerenderError, StaticExportError } from './prerender-errors.js';
export type { BrokenLink, PrerenderProblem } from './prerender-errors.js';
export {
  fileForPath,
  loadPrerenderedPages,
  stateOf,
  writePrerenderedPages,
  MANIFEST_FILE,
  PAGES_DIR,
} from './prerendered-files.js';
export type { LoadedPages, PageToWrite, PrerenderManifest, PrerenderedPages } from './prerendered-files.js';
export { staticExportRefusals, writeStaticSite } from './static-export.js';
export { internalLinks } from './internal-links.js';
export type { PrerenderTarget } from './prerender-target.js';
export { createPageCapture } from './page-capture.js';
export type { CapturedPage, PageCapture } from './page-capture.js';
