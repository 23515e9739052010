import type { Reducer, Store } from '@composable-svelte/core';
import type { TObject } from '@sinclair/typebox';
import type { Locales } from '@composable-svelte/core/i18n';
import type { ParseResult } from '@composable-svelte/core/routing';
import type { FastifyRequest } from 'fastify';
import type { Component } from 'svelte';
import type { FlashMessage } from './auth/auth-service.js';
import type { AuthRequirement } from './auth/guards.js';
import type { Viewer } from './auth/principal.js';

/** What the prerender step reads of a route (`route()` from `@composable-svelte/core/routing`). */
export interface PageRouteDefinition {
  readonly path: string;
  readonly params: object;
  readonly prerender?: boolean;
  readonly entries?: () => Iterable<object> | Promise<Iterable<object>>;
}

/** What the server needs from a route table: `parse` from `@composable-svelte/core/routing`. */
export interface PageRouter<Dest extends { route: string }> {
  parse(url: string): ParseResult<Dest>;
  /** Canonical URL of a destination; when present, the page cache keys pages by it. */
  href?(destination: Dest): string;
  /** The routes by name; the prerender step needs them (and `href`) to find the pages to render. */
  readonly table?: Readonly<Record<string, PageRouteDefinition>>;
}

/** The initial state for a URL and the actions the server dispatches before rendering. */
export interface PageLoad<S, A> {
  readonly state: S;
  readonly actions?: readonly A[];
}

export interface PageError {
  readonly status: number;
  /** Safe to show: never an internal message in production. */
  readonly message: string;
  readonly requestId: string;
  /** The locale of the URL that failed (the server's `lang` without `locales`). */
  readonly locale: string;
}

export interface RequestContext {
  readonly request: FastifyRequest;
  /** Aborts when the client goes away or the render deadline passes. */
  readonly signal: AbortSignal;
  /**
   * A CSRF token for forms on this page. Calling it marks the response `private, no-store`: a
   * per-session token never goes into a shared cached page.
   */
  csrfToken(): string;
  /**
   * Who is signed in (id, name, roles: nothing secret), for the app state so SSR and hydration
   * agree; null when nobody is or the auth plugin is off. A page rendered for a viewer is
   * `private, no-store` and never enters the shared page cache.
   */
  readonly viewer: Viewer | null;
  /** The message a redirect after a form left (read once; the page becomes private). */
  flash(): FlashMessage | undefined;
  /** The page's locale, from its URL's prefix (the app's `locales`); the server's `lang` without them. */
  readonly locale: string;
}

/**
 * An app, described by one object: the same reducer and route table the browser uses, plus what
 * only the server knows (how to build dependencies for a request).
 */
export interface AppDefinition<S, A, D, Dest extends { route: string }> {
  /** The root component; receives the store as its `store` prop, on the server and when hydrating. */
  readonly component: Component<{ store: Store<S, A> }>;
  readonly reducer: Reducer<S, A, D>;
  readonly router: PageRouter<Dest>;
  /**
   * The state for a parsed URL (including not-found and bad-param results, which the app renders
   * as its own pages) and the actions that load its data through the reducer's effects.
   */
  load(route: ParseResult<Dest>, url: URL, context: RequestContext): PageLoad<S, A>;
  /** Server-side dependencies for one request (database, services, the request's abort signal). */
  dependencies(context: RequestContext): D;
  /** The state that renders the app's error page. */
  errorState(error: PageError): S;
  /**
   * The client module of the page a state shows, when pages are split into chunks of their own
   * (`lazyComponents` from core/svelte): its manifest key, e.g. `src/pages/Home.svelte`. The page's
   * chunks are then preloaded with `<link rel="modulepreload">`, so hydration does not wait on them.
   * Several modules, for what else the page loads lazily: its locale's messages, say.
   */
  pageModule?(state: S): string | readonly string[] | undefined;
  /** HTTP status once the store settled, e.g. 404 when the post turned out not to exist. Default 200. */
  status?(state: S): number;
  /** Tags of a rendered page for cache invalidation, e.g. ['post:3']. */
  cacheTags?(state: S): readonly string[];
  /**
   * What else a page varies on besides its URL (a locale cookie, say), appended to the cache key.
   * A page that depends on who is asking must not be cached: call csrfToken() or set
   * `cache-control: private` instead.
   */
  cacheKey?(request: FastifyRequest): string;
  /**
   * Who may see a page: 'required' sends anonymous browsers to `/login?next=…`; `{ roles }` answers
   * 403 to a viewer without them. Undefined (the default) means anyone. Needs the auth plugin.
   */
  auth?(route: ParseResult<Dest>): AuthRequirement | undefined;
  /** `<html lang>`; defaults to the page's locale, else the server config's `lang`. */
  lang?(state: S): string;
  /**
   * The site's locales (`defineLocales` from core/i18n), when it has more than one language. The
   * router then parses paths without their locale prefix (`/fr/posts/1` as `/posts/1`, with
   * `context.locale` fr), pages say their language (`<html lang>`, Content-Language), the page
   * cache keys on it, `/` redirects by the `locale` cookie or Accept-Language, and
   * `GET /locale/:locale?next=` switches (see `localeRouting` in server/i18n).
   */
  readonly locales?: Locales;
  /** Key of the client entry in Vite's manifest, e.g. `src/client/entry.ts`. */
  readonly clientEntry: string;
  /**
   * The app's own environment variables (a TypeBox object, like the server's schema): validated with
   * the server's at start-up, every problem of both listed at once, then `fastify.config.app`.
   */
  readonly env?: TObject;
}

export function defineApp<S, A, D, Dest extends { route: string }>(
  app: AppDefinition<S, A, D, Dest>,
): AppDefinition<S, A, D, Dest> {
  return app;
}
