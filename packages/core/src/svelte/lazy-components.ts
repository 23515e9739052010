import type { Component } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import { createModuleLoader } from '../modules/module-loader.js';

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
  const updates = new Set<() => void>();
  const track = createSubscriber((update) => {
    updates.add(update);
    return () => updates.delete(update);
  });
  const eager = new Map<string, Component<never>>();
  const lazy: Record<string, () => Promise<ComponentModule<Component<never>>>> = {};
  for (const [key, source] of Object.entries(sources) as [string, ComponentSource<Component<never>>][]) {
    if (typeof source === 'function') lazy[key] = source;
    else eager.set(key, source.default);
  }
  const modules = createModuleLoader<Component<never>>(
    (key) => `lazyComponents: no component named ${JSON.stringify(key)}`,
    lazy,
    {
      preloaded: eager,
      onLoad: () => {
        for (const update of [...updates]) update();
      },
    },
  );
  const load = (key: string): Promise<Component<never>> => modules.load(key);

  const preload = (key: string): void => {
    load(key).catch(() => {});
  };

  return {
    get: <K extends keyof M & string>(key: K) => {
      track();
      const component = modules.loaded(key) as M[K] | undefined;
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
