/** What a lazily imported module resolves to: its default export is the value wanted. */
export interface DefaultModule<V> {
  readonly default: V;
}

export interface ModuleLoader<V> {
  /** The value once its module is in; one import however many callers ask at once. Throws for an unknown key. */
  load(key: string): Promise<V>;
  /** The value if its module is in already. */
  loaded(key: string): V | undefined;
}

/**
 * Imports modules on demand, each once: concurrent loads share one import, a failed import is
 * tried again on the next load. Lazy page components and per-locale messages both stand on it.
 * `onLoad` runs when a module arrives (re-rendering what waited for it).
 */
export function createModuleLoader<V>(
  unknown: (key: string) => string,
  loaders: Readonly<Record<string, () => Promise<DefaultModule<V>>>>,
  options: { readonly preloaded?: ReadonlyMap<string, V>; readonly onLoad?: () => void } = {},
): ModuleLoader<V> {
  const done = new Map<string, V>(options.preloaded);
  const pending = new Map<string, Promise<V>>();
  const load = (key: string): Promise<V> => {
    const ready = done.get(key);
    if (ready !== undefined) return Promise.resolve(ready);
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    if (!Object.hasOwn(loaders, key)) throw new Error(unknown(key));
    const promise = loaders[key]!().then(
      (module) => {
        pending.delete(key);
        done.set(key, module.default);
        options.onLoad?.();
        return module.default;
      },
      (error: unknown) => {
        pending.delete(key);
        throw error;
      },
    );
    pending.set(key, promise);
    return promise;
  };
  return { load, loaded: (key) => done.get(key) };
}
