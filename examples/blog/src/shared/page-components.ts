import type { Component } from 'svelte';
import { lazyComponents, type ComponentModule, type ComponentSource } from '@composable-svelte/core/svelte';
import type { Page } from './state.js';

// Each page takes its own props; App.svelte passes them per route.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PageComponent = Component<any>;
type PageRoute = Page['route'];

/** The component file of each page (in ./pages); routes may share one. */
const PAGE_FILES = {
  home: 'PostList',
  post: 'PostDetail',
  comments: 'Comments',
  subscribe: 'Subscribe',
  login: 'Login',
  forgotPassword: 'ForgotPassword',
  resetPassword: 'ResetPassword',
  signup: 'Signup',
  account: 'Account',
  accountKeys: 'Account',
  write: 'PostEditor',
  editPost: 'PostEditor',
  admin: 'AdminComments',
  adminUsers: 'AdminUsers',
  adminJobs: 'AdminJobs',
  notFound: 'NotFound',
  badRequest: 'BadRequest',
  error: 'ErrorPage',
} as const satisfies Record<PageRoute, string>;

// Each page is a chunk of its own, fetched in the browser when it is about to be shown. The server
// renders any page at once: it calls pages.loadAll() before serving (no top-level await here, which
// would deadlock on the pages' own imports of this module).
const modules = import.meta.glob<ComponentModule<PageComponent>>('./pages/*.svelte');

const sourceOf = (file: string): ComponentSource<PageComponent> => {
  const source = modules[`./pages/${file}.svelte`];
  if (!source) throw new Error(`No page component ./pages/${file}.svelte`);
  return source;
};

export const pages = lazyComponents<Record<PageRoute, PageComponent>>(
  Object.fromEntries(Object.entries(PAGE_FILES).map(([route, file]) => [route, sourceOf(file)])) as Record<
    PageRoute,
    ComponentSource<PageComponent>
  >,
);

/** The page's module as the client build's manifest names it, for the server's modulepreload. */
export function pageModule(route: PageRoute): string {
  return `src/shared/pages/${PAGE_FILES[route]}.svelte`;
}
