import { defineLocales } from '@composable-svelte/core/i18n';

/** The blog's interface languages. Posts keep the language they were written in (see CONTENT_LANG). */
export const locales = defineLocales({ locales: ['en', 'fr'], defaultLocale: 'en' });
export type Locale = (typeof locales.locales)[number];

/** The language the blog's posts and comments are written in, marked on them on other locales' pages. */
export const CONTENT_LANG = 'en';

/** The Intl locale each interface language formats dates and numbers in. */
export const INTL_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-GB', fr: 'fr-FR' };

/** Each language named in itself, for the language switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', fr: 'Français' };
