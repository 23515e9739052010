import { locales, type Locale } from './i18n/locales.js';
import { router } from './routes.js';
import type { Page } from './state.js';

/** The URL a page lives at in a locale; null for pages that keep whatever URL produced them (errors). */
export function urlForPage(page: Page, locale: Locale): string | null {
  switch (page.route) {
    case 'notFound':
    case 'badRequest':
      return locales.localize(locale, page.path);
    case 'error':
      return null;
    default:
      return locales.localize(locale, router.href(page));
  }
}
