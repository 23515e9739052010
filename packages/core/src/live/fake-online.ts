import type { OnlineSource } from './client.js';

/** An online source for tests: starts online; `set(false)` is the browser going offline. */
export function createFakeOnline(): OnlineSource & { set(online: boolean): void } {
  let online = true;
  const listeners = new Set<() => void>();
  return {
    isOnline: () => online,
    watch(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    set(value) {
      online = value;
      for (const listener of listeners) listener();
    },
  };
}
