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

type PageSource = () => Promise<ComponentModule<PageComponent>>;
type Feature = typeof liveFeature;

/** A page's chunk, the messages' section (messages.ts) and the lazy features (features.ts) it shows. */
interface PageChunk {
  readonly source: PageSource;
  readonly section?: Section;
  readonly features: readonly Feature[];
}

const reading = (source: PageSource, ...features: Feature[]): PageChunk => ({ source, section: 'reading', features });
// The member feature loads the member pages' data.
const member = (source: PageSource): PageChunk => ({ source, section: 'member', features: [memberFeature] });

// Each page is a chunk of its own, fetched in the browser when it is about to be shown, with what it
// shows besides. The server renders any page at once: it calls loadAll() of each locale's pages
// before serving (no top-level await here, which would deadlock on the pages' own imports of this module).
const PAGES: Readonly<Record<(typeof PAGE_FILES)[PageRoute], PageChunk>> = {
  PostList: { source: () => import('./pages/PostList.svelte'), features: [] },
  PostDetail: reading(() => import('./pages/PostDetail.svelte'), liveFeature),
  Comments: reading(() => import('./pages/Comments.svelte'), commentFeature, liveFeature),
  Subscribe: reading(() => import('./pages/Subscribe.svelte'), subscribeFeature),
  NotFound: reading(() => import('./pages/NotFound.svelte')),
  BadRequest: reading(() => import('./pages/BadRequest.svelte')),
  ErrorPage: reading(() => import('./pages/ErrorPage.svelte')),
  Login: member(() => import('./pages/Login.svelte')),
  ForgotPassword: member(() => import('./pages/ForgotPassword.svelte')),
  ResetPassword: member(() => import('./pages/ResetPassword.svelte')),
  Signup: member(() => import('./pages/Signup.svelte')),
  Account: member(() => import('./pages/Account.svelte')),
  PostEditor: { source: () => import('./pages/PostEditor.svelte'), section: 'member', features: [] },
  AdminComments: member(() => import('./pages/AdminComments.svelte')),
  AdminUsers: member(() => import('./pages/AdminUsers.svelte')),
  AdminJobs: member(() => import('./pages/AdminJobs.svelte')),
};

/** The messages' section the route's page shows, which then loads with its chunk. */
export const sectionOf = (route: PageRoute): Section | undefined => PAGES[PAGE_FILES[route]].section;

type Pages = LazyComponents<Record<PageRoute, PageComponent>>;

/** A page is ready once its chunk, its features and its locale's section of messages are in. */
function pagesFor(locale: Locale): Pages {
  const sources = Object.entries(PAGE_FILES).map(([route, file]) => {
    const { source, section, features } = PAGES[file];
    if (!section && features.length === 0) return [route, source];
    const load = () =>
      Promise.all([
        source(),
        ...features.map((feature) => feature.load()),
        ...(section ? [sections[section].load(locale)] : []),
      ]).then(([module]) => module);
    return [route, load];
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
  return [`src/shared/pages/${file}.svelte`, ...PAGES[file].features.map((feature) => featureModules.get(feature)!)];
}
