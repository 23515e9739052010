/** A chunk as Vite's manifest describes it (the fields used here). */
export interface ManifestChunk {
  readonly file: string;
  readonly css?: readonly string[];
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly isEntry?: boolean;
}

/**
 * The chunks a lazily imported module needs beyond what the entry already loads: the module's own
 * chunk and its static imports, in the order to preload them. Keys are Vite's manifest keys
 * (source paths relative to the client root, e.g. `src/pages/Home.svelte`).
 */
export function createLazyChunks<T>(
  manifest: Readonly<Record<string, ManifestChunk>>,
  entry: string,
  asset: (file: string) => T,
): (module: string) => readonly T[] {
  const loadedByEntry = new Set<string>();
  const collect = (key: string, into: Set<string>) => {
    if (into.has(key)) return;
    into.add(key);
    for (const imported of manifest[key]?.imports ?? []) collect(imported, into);
  };
  collect(entry, loadedByEntry);
  const lazyModules = new Set(Object.values(manifest).flatMap((chunk) => chunk.dynamicImports ?? []));
  // Hashing a chunk's file is done once, on the first page that needs it.
  const cache = new Map<string, readonly T[]>();
  return (module) => {
    const cached = cache.get(module);
    if (cached) return cached;
    if (!lazyModules.has(module) || !manifest[module]) {
      throw new Error(`The client manifest has no lazily imported module "${module}"`);
    }
    const needed = new Set<string>();
    collect(module, needed);
    const assets = [...needed].filter((key) => !loadedByEntry.has(key)).map((key) => asset(manifest[key]!.file));
    cache.set(module, assets);
    return assets;
  };
}
