import { getContext, setContext } from 'svelte';
import { createSubscriber } from 'svelte/reactivity';
import type { Store } from '../store/types.js';

const STORE_KEY = Symbol('composable-svelte/store');

/**
 * The same store, with a `state` that Svelte tracks: reading `store.state` in a template or
 * `$derived` re-runs it when the state changes. Everything else is the store itself. `scope()` of
 * the result is reactive too, and tracks only the child's state: hand it to a child component and
 * that component re-runs only when its own slice changed.
 */
export function reactive<S, A>(store: Store<S, A>): Store<S, A> {
  const track = createSubscriber((update) => {
    let first = true;
    return store.subscribe(() => {
      // subscribe() calls back at once with the state the reader already has.
      if (first) first = false;
      else update();
    });
  });
  return {
    get state() {
      track();
      return store.state;
    },
    dispatch: store.dispatch,
    subscribe: store.subscribe,
    settled: store.settled,
    destroy: store.destroy,
    scope: (toChildState, fromChildAction) => reactive(store.scope(toChildState, fromChildAction)),
  };
}

/** Makes a store available to every component below the caller (call during component init). */
export function setStore<S, A>(store: Store<S, A>): Store<S, A> {
  return setContext(STORE_KEY, store);
}

/** The store set by an ancestor with setStore(). */
export function getStore<S, A>(): Store<S, A> {
  const store = getContext<Store<S, A> | undefined>(STORE_KEY);
  if (!store) throw new Error('getStore(): no store in context; call setStore(store) in a parent component');
  return store;
}

export { lazyComponents } from './lazy-components.js';
export type { ComponentModule, ComponentSource, LazyComponents } from './lazy-components.js';
