import type { Locales } from './locales.js';

export interface Alternate {
  /** A locale, or `x-default` for the page a visitor without a match should get. */
  readonly hreflang: string;
  readonly href: string;
}

/**
 * The `<link rel="alternate" hreflang>` set of a page: its URL in every locale (itself included,
 * as search engines ask) and `x-default`, the unprefixed one. `path` is the page's unprefixed path.
 */
export function alternates<L extends string>(locales: Locales<L>, origin: string, path: string): Alternate[] {
  return [
    ...locales.locales.map((locale) => ({ hreflang: locale, href: origin + locales.localize(locale, path) })),
    { hreflang: 'x-default', href: origin + locales.localize(locales.defaultLocale, path) },
  ];
}
