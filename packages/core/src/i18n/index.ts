export { defineLocales } from './locales.js';
export type { Locales } from './locales.js';
export { negotiateLocale } from './negotiate-locale.js';
export { dateFormat, numberFormat, plural, pluralRules, select } from './formatters.js';
export type { PluralForms } from './formatters.js';
export { createDictionaries } from './dictionaries.js';
export type { Dictionaries, Dictionary } from './dictionaries.js';
export { alternates } from './alternates.js';
export type { Alternate } from './alternates.js';
