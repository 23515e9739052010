export { localeRouting } from './locale-routing.js';
export type { LocaleRoutingOptions } from './locale-routing.js';
export { requestLocale } from './request-locale.js';
