/**
 * The locales a site is written in, and where each lives in its URLs. The URL is the source of
 * truth: the default locale has no prefix (`/posts/1`), every other one has its own (`/fr/posts/1`).
 * A path that starts with the default locale's prefix is not one of the site's URLs (the app
 * answers it with its not-found page), so each page has exactly one address per locale.
 */
export interface Locales<L extends string = string> {
  readonly locales: readonly L[];
  readonly defaultLocale: L;
  isLocale(value: unknown): value is L;
  /** The locale of a path (and query) and the path without its prefix: `/fr/posts/1?a` → fr, `/posts/1?a`. */
  split(url: string): { readonly locale: L; readonly path: string };
  /** The URL of an unprefixed path (and query) in a locale: fr, `/posts/1` → `/fr/posts/1`; `/` → `/fr`. */
  localize(locale: L, path: string): string;
}

const TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

export function defineLocales<const L extends string>(options: {
  readonly locales: readonly L[];
  readonly defaultLocale: NoInfer<L>;
}): Locales<L> {
  const { locales, defaultLocale } = options;
  if (locales.length === 0) throw new TypeError('defineLocales: list at least one locale');
  for (const locale of locales) {
    if (!TAG.test(locale))
      throw new TypeError(`defineLocales: "${locale}" is not a language tag such as "en", "fr" or "pt-BR"`);
  }
  if (new Set(locales).size !== locales.length) throw new TypeError('defineLocales: a locale is listed twice');
  if (!locales.includes(defaultLocale))
    throw new TypeError(`defineLocales: the default locale "${defaultLocale}" is not one of ${locales.join(', ')}`);
  const prefixed = new Set<string>(locales.filter((locale) => locale !== defaultLocale));
  const isLocale = (value: unknown): value is L => typeof value === 'string' && locales.includes(value as L);

  return {
    locales,
    defaultLocale,
    isLocale,
    split(url) {
      const end = url.slice(1).search(/[/?#]/);
      const first = end === -1 ? url.slice(1) : url.slice(1, end + 1);
      if (!url.startsWith('/') || !prefixed.has(first)) return { locale: defaultLocale, path: url };
      const rest = url.slice(first.length + 1);
      return { locale: first as L, path: rest.startsWith('/') ? rest : `/${rest}` };
    },
    localize(locale, path) {
      if (!isLocale(locale)) throw new TypeError(`localize: "${String(locale)}" is not one of ${locales.join(', ')}`);
      if (locale === defaultLocale) return path;
      return path === '/' || path.startsWith('/?') ? `/${locale}${path.slice(1)}` : `/${locale}${path}`;
    },
  };
}
