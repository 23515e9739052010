import type { ParseResult } from './types.js';

/** The part of `window` that history sync uses; a real Window satisfies it. */
export interface HistoryWindow {
  readonly location: { readonly pathname: string; readonly search: string };
  readonly history: {
    readonly state?: unknown;
    pushState(data: unknown, unused: string, url?: string | null): void;
    replaceState(data: unknown, unused: string, url?: string | null): void;
  };
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

export interface SyncableStore<S, A> {
  /** Must call the listener at once with the current state, then on every change. */
  subscribe(listener: (state: S) => void): () => void;
  dispatch(action: A): unknown;
}

export interface SyncHistoryOptions<S, A, D extends { route: string }> {
  readonly router: { parse(url: string): ParseResult<D> };
  readonly store: SyncableStore<S, A>;
  /** The URL (path and query) the state should be at; null leaves the address bar alone. */
  readonly select: (state: S) => string | null | undefined;
  /** The action to dispatch when the user goes back or forward. */
  readonly onUrlChange: (result: ParseResult<D>, url: string) => A;
  readonly window?: HistoryWindow;
}

/** Keeps the address bar and the store in step; returns a function that stops it. */
export function syncHistory<S, A, D extends { route: string }>(options: SyncHistoryOptions<S, A, D>): () => void {
  const { router, store, select, onUrlChange } = options;
  const win = options.window ?? (globalThis as { window?: HistoryWindow }).window;
  if (!win) throw new Error('syncHistory: no window; call it in the browser or pass options.window');

  const current = () => win.location.pathname + win.location.search;
  let stopped = false;
  let first = true;
  let inPopstate = false;
  // Browsers may normalise the URL we hand them (e.g. escape a character),
  // so location can differ from `select` even right after a push. Remembering
  // what we wrote stops that difference from pushing again on every change.
  let written: { target: string; location: string } | undefined;

  const write = (target: string, replace: boolean) => {
    if (replace) win.history.replaceState(win.history.state ?? {}, '', target);
    else win.history.pushState({}, '', target);
    written = { target, location: current() };
  };

  const onPopstate = () => {
    if (stopped) return;
    written = undefined;
    const url = current();
    // A reducer may redirect (e.g. a bad URL to a canonical one); doing that
    // with replaceState keeps Back usable instead of trapping the user.
    inPopstate = true;
    try {
      store.dispatch(onUrlChange(router.parse(url), url));
    } finally {
      inPopstate = false;
    }
  };

  win.addEventListener('popstate', onPopstate);
  let unsubscribe: (() => void) | undefined;
  try {
    unsubscribe = store.subscribe((state) => {
      if (stopped) return;
      const isFirst = first;
      first = false;
      const target = select(state);
      if (target == null) return;
      const location = current();
      if (target === location) return;
      if (written && written.target === target && written.location === location) return;
      // The first state was rendered for the URL the server answered, so a
      // difference is a correction, not a navigation the user could go back from.
      write(target, isFirst || inPopstate);
    });
  } catch (error) {
    win.removeEventListener('popstate', onPopstate);
    throw error;
  }

  return () => {
    if (stopped) return;
    stopped = true;
    win.removeEventListener('popstate', onPopstate);
    unsubscribe?.();
  };
}
