export { localeRouting } from './locale-routing.js';
export type { LocaleRoutingOptions } from './locale-routing.js';
