import { createDictionaries } from '@composable-svelte/core/i18n';
import type { Messages } from './en.js';
import type { Locale } from './locales.js';

/** Each locale's messages are a chunk of their own: a page fetches only its own locale's. */
export const dictionaries = createDictionaries<Locale, Messages>({
  en: () => import('./en.js'),
  fr: () => import('./fr.js'),
});

/** The messages of a locale; the page's locale is loaded before anything renders. */
export const messagesOf = (locale: Locale): Messages => dictionaries.get(locale);

/** The client module of a locale's messages, for the server's modulepreload. */
export const messagesModule = (locale: Locale) => `src/shared/i18n/${locale}.ts`;
