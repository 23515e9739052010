import type { Component } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';

/** A module whose default export is a component: what `import('./Page.svelte')` resolves to. */
export interface ComponentModule<C> {
  readonly default: C;
}

/** A component's module, either already loaded (a server build, a test) or loaded on demand. */
export type ComponentSource<C> = ComponentModule<C> | (() => Promise<ComponentModule<C>>);

export interface LazyComponents<M extends Record<string, Component<never>>> {
  /**
   * The component once its module is loaded, else undefined (and its loading starts). Svelte tracks
   * the call: a template that read undefined re-renders when the module arrives.
   */
  get<K extends keyof M & string>(key: K): M[K] | undefined;
  /** Loads the module once; a failed load is tried again on the next call. */
  load<K extends keyof M & string>(key: K): Promise<M[K]>;
  /** Loads every module: a server renders any of them synchronously once this resolved. */
  loadAll(): Promise<void>;
  /** Starts loading ahead of need (link hover, focus); a failure is left to the next get or load. */
  preload(key: keyof M & string): void;
}

/**
 * Components split into their own chunks, loaded on demand: pass `() => import('./Page.svelte')`
 * per key. Before hydrating, await `load()` of what the server rendered, so the first render in the
 * browser matches the server's markup. Already-loaded modules are accepted too, so a server build can
 * pass eager imports and render every component synchronously.
 */
export function lazyComponents<M extends Record<string, Component<never>>>(sources: {
  readonly [K in keyof M]: ComponentSource<M[K]>;
}): LazyComponents<M> {
  const loaded = new Map<string, Component<never>>();
  const pending = new Map<string, Promise<Component<never>>>();
  const updates = new Set<() => void>();
  const track = createSubscriber((update) => {
    updates.add(update);
    return () => updates.delete(update);
  });
  for (const [key, source] of Object.entries(sources) as [string, ComponentSource<Component<never>>][]) {
    if (typeof source !== 'function') loaded.set(key, source.default);
  }

  const sourceOf = (key: string): ComponentSource<Component<never>> => {
    if (!Object.hasOwn(sources, key)) throw new Error(`lazyComponents: no component named ${JSON.stringify(key)}`);
    return (sources as Record<string, ComponentSource<Component<never>>>)[key]!;
  };

  const load = (key: string): Promise<Component<never>> => {
    const ready = loaded.get(key);
    if (ready) return Promise.resolve(ready);
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const source = sourceOf(key) as () => Promise<ComponentModule<Component<never>>>;
    const promise = source().then(
      (module) => {
        pending.delete(key);
        loaded.set(key, module.default);
        for (const update of [...updates]) update();
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

  const preload = (key: string): void => {
    load(key).catch(() => {});
  };

  return {
    get: <K extends keyof M & string>(key: K) => {
      track();
      const component = loaded.get(key) as M[K] | undefined;
      if (!component) preload(key);
      return component;
    },
    load: <K extends keyof M & string>(key: K) => load(key) as Promise<M[K]>,
    loadAll: async () => {
      await Promise.all(Object.keys(sources).map(load));
    },
    preload,
  };
}
