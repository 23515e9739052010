import type { SettledOptions, Store } from './types.js';

/**
 * A view of a parent store for a child component (TCA's `store.scope`): its state is derived from
 * the parent's, its actions are wrapped into the parent's, and its subscribers only hear about
 * changes to the child's state (compared by identity), so a component bound to it re-renders only
 * when its own slice changed. It owns no state or effects: the parent runs everything.
 */
export function scopeStore<S, A, CS, CA>(
  parent: Store<S, A>,
  toChildState: (state: S) => CS,
  fromChildAction: (action: CA) => A,
): Store<CS, CA> {
  const unsubscribers = new Set<() => void>();
  const child: Store<CS, CA> = {
    get state() {
      return toChildState(parent.state);
    },
    dispatch: (action) => parent.dispatch(fromChildAction(action)),
    subscribe(listener) {
      let seen = false;
      let last: CS;
      const unsubscribe = parent.subscribe((state) => {
        const next = toChildState(state);
        if (seen && Object.is(next, last)) return;
        seen = true;
        last = next;
        listener(next);
      });
      unsubscribers.add(unsubscribe);
      return () => {
        unsubscribers.delete(unsubscribe);
        unsubscribe();
      };
    },
    settled: (options?: SettledOptions) => parent.settled(options),
    destroy() {
      // Only this view's subscriptions: destroying a child view must not stop the parent's work.
      for (const unsubscribe of [...unsubscribers]) unsubscribe();
      unsubscribers.clear();
    },
    scope: (toGrandchild, fromGrandchild) => scopeStore(child, toGrandchild, fromGrandchild),
  };
  return child;
}
