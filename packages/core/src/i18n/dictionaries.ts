import { createModuleLoader } from '../modules/module-loader.js';

/** What a locale's messages module default-exports: texts, and functions of their parameters. */
export type Dictionary = { readonly [key: string]: string | ((...args: never[]) => string) };

export interface Dictionaries<L extends string, D extends Dictionary> {
  /** Fetches a locale's messages (a chunk of its own in the browser); resolves once they are in. */
  load(locale: L): Promise<D>;
  /** Every locale's messages: the server, which renders any locale at once, calls it before serving. */
  loadAll(): Promise<void>;
  /** A loaded locale's messages; throws for one not loaded, so a render never shows half a page. */
  get(locale: L): D;
  has(locale: L): boolean;
}

/**
 * One messages module per locale, each imported on demand: a bundler makes each its own chunk, so
 * a browser fetches only the locale of the page it shows. Type the other locales against the
 * default one (`export default { … } satisfies Messages`, with `type Messages = typeof en`) and a
 * missing or misspelt message, or one with other parameters, fails the type check.
 */
export function createDictionaries<L extends string, D extends Dictionary>(
  loaders: Readonly<Record<L, () => Promise<{ default: D }>>>,
): Dictionaries<L, D> {
  const modules = createModuleLoader<D>((locale) => `No messages for locale "${locale}"`, loaders);
  const load = async (locale: L): Promise<D> => modules.load(locale);
  return {
    load,
    async loadAll() {
      await Promise.all((Object.keys(loaders) as L[]).map(load));
    },
    get(locale) {
      const messages = modules.loaded(locale);
      if (!messages) throw new Error(`The messages of locale "${String(locale)}" are not loaded: await load() first`);
      return messages;
    },
    has: (locale) => modules.loaded(locale) !== undefined,
  };
}
