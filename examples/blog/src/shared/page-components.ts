import type { Component } from 'svelte';
import {
  lazyComponents,
  type ComponentModule,
  type ComponentSource,
  type LazyComponents,
} from '@composable-svelte/core/svelte';
import { commentFeature, featureModules, liveFeature, memberFeature, subscribeFeature } from './features.js';
import { sections, type Section } from './i18n/messages.js';
import type { Locale } from './i18n/locales.js';
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

/** The messages' section (messages.ts) each page shows besides every page's messages. */
const SECTION_OF: Readonly<Record<string, Section>> = {
  PostDetail: 'reading',
  Comments: 'reading',
  Subscribe: 'reading',
  NotFound: 'reading',
  BadRequest: 'reading',
  ErrorPage: 'reading',
  Login: 'member',
  ForgotPassword: 'member',
  ResetPassword: 'member',
  Signup: 'member',
  Account: 'member',
  PostEditor: 'member',
  AdminComments: 'member',
  AdminUsers: 'member',
  AdminJobs: 'member',
};

/** The lazy features (features.ts) a page shows: they load with its chunk, before it renders. */
const FEATURES_OF: Readonly<Record<string, readonly (typeof liveFeature)[]>> = {
  PostDetail: [liveFeature],
  Comments: [commentFeature, liveFeature],
  Subscribe: [subscribeFeature],
};

/** A page's features: a member page's include the member feature, which loads those pages' data. */
const featuresOf = (file: string) => [
  ...(FEATURES_OF[file] ?? []),
  ...(SECTION_OF[file] === 'member' ? [memberFeature] : []),
];

/** The messages' section the route's page shows, which then loads with its chunk. */
export const sectionOf = (route: PageRoute): Section | undefined => SECTION_OF[PAGE_FILES[route]];

// Each page is a chunk of its own, fetched in the browser when it is about to be shown. The server
// renders any page at once: it calls loadAll() of each locale's pages before serving (no top-level
// await here, which would deadlock on the pages' own imports of this module).
const modules = import.meta.glob<ComponentModule<PageComponent>>('./pages/*.svelte');

const sourceOf = (file: string): (() => Promise<ComponentModule<PageComponent>>) => {
  const source = modules[`./pages/${file}.svelte`];
  if (!source) throw new Error(`No page component ./pages/${file}.svelte`);
  return source;
};

type Pages = LazyComponents<Record<PageRoute, PageComponent>>;

/** A page is ready once its chunk, its features and its locale's section of messages are in. */
function pagesFor(locale: Locale): Pages {
  const sources = Object.entries(PAGE_FILES).map(([route, file]) => {
    const source = sourceOf(file);
    const section = SECTION_OF[file];
    const needs: (() => Promise<unknown>)[] = [
      ...featuresOf(file).map((feature) => () => feature.load()),
      ...(section ? [() => sections[section].load(locale)] : []),
    ];
    if (needs.length === 0) return [route, source];
    return [route, () => Promise.all([source(), ...needs.map((need) => need())]).then(([module]) => module)];
  });
  return lazyComponents<Record<PageRoute, PageComponent>>(
    Object.fromEntries(sources) as Record<PageRoute, ComponentSource<PageComponent>>,
  );
}

const byLocale = new Map<Locale, Pages>();

/** The pages as shown in a locale: the same chunks in every locale, with that locale's messages. */
export function pagesIn(locale: Locale): Pages {
  let pages = byLocale.get(locale);
  if (!pages) byLocale.set(locale, (pages = pagesFor(locale)));
  return pages;
}

/** The page's module and its features', as the client build's manifest names them, for the server's modulepreload. */
export function pageModules(route: PageRoute): string[] {
  const file = PAGE_FILES[route];
  return [`src/shared/pages/${file}.svelte`, ...featuresOf(file).map((feature) => featureModules.get(feature)!)];
}
