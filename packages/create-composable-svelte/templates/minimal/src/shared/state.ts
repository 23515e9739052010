export type Page =
  | { readonly kind: 'home' }
  | { readonly kind: 'notFound'; readonly path: string }
  | { readonly kind: 'error'; readonly status: number; readonly message: string; readonly requestId: string };

export interface AppState {
  readonly page: Page;
  readonly greeting: string;
  readonly count: number;
  readonly fact: string | null;
  readonly loadingFact: boolean;
  readonly factError: string | null;
}

export type AppAction =
  | { readonly type: 'incremented' }
  | { readonly type: 'decremented' }
  | { readonly type: 'factRequested' }
  | { readonly type: 'factLoaded'; readonly fact: string }
  | { readonly type: 'factFailed'; readonly message: string };

/** What the reducer's effects need: on the server a function, in the browser a fetch to /api/facts. */
export interface AppDependencies {
  readonly facts: (n: number, signal: AbortSignal) => Promise<string>;
}

export function initialState(page: Page, greeting: string): AppState {
  return { page, greeting, count: 0, fact: null, loadingFact: false, factError: null };
}

/** The HTTP status a page answers with. */
export function statusOf(page: Page): number {
  if (page.kind === 'notFound') return 404;
  if (page.kind === 'error') return page.status;
  return 200;
}
