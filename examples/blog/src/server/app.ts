import { fileURLToPath } from 'node:url';
import { createServer, defineApp, type ServerConfig } from '@composable-svelte/server';
import { loadServerConfig } from '@composable-svelte/server/config';
import App from '../shared/App.svelte';
import type { BlogDependencies } from '../shared/api.js';
import { statusFor } from '../shared/head.js';
import type { PostsRepository } from '../shared/model.js';
import { loadAllFeatures } from '../shared/features.js';
import { pageModules, pagesIn, sectionOf } from '../shared/page-components.js';
import { pageForRoute } from '../shared/page-for-route.js';
import { locales, type Locale } from '../shared/i18n/locales.js';
import { dictionaries, messagesModules, sections } from '../shared/i18n/messages.js';
import { blogReducer } from '../shared/reducer.js';
import { router, type Destination } from '../shared/routes.js';
import { initialBlogState, type BlogAction, type BlogState } from '../shared/state.js';
import { initialAccountState } from '../shared/account.js';
import { initialLiveState } from '../shared/live.js';
import { ApiError } from '../shared/api.js';
import { sessionSummaries } from './session-summaries.js';
import { apiRoutes } from './api-routes.js';
import { refusedForms } from './form-outcome.js';
import { commentRoutes } from './comment-routes.js';
import { subscribeRoutes } from './subscribe-routes.js';
import { apiKeyOutcomes } from './api-key-outcome.js';
import type { JobDefinition, JobSchedule, RetryPolicy } from '@composable-svelte/server/jobs';
import type { ApiKeyList, SignInProvider, Viewer } from '../shared/account.js';
import { isAdmin } from '../shared/admin.js';
import type { AdminData } from './admin/admin-data.js';
import { createInMemorySubscriptionsRepository, type SubscriptionsRepository } from './subscriptions-repository.js';
import { createInMemoryPostsRepository } from './in-memory-posts-repository.js';
import { createRepositoryApi } from './repository-api.js';
import { postEditors } from './post-editor-outcome.js';

/** The seed posts in memory: a blog without a database (tests, benchmarks such as bench/cold-start.mjs). */
export { createInMemoryPostsRepository };
/**
 * Svelte's server renderer as this build bundles it: the copy App and its pages were compiled
 * against (the component context lives in it). For rendering App without createServer, as the
 * benchmark's minimal-SSR ceiling (bench/peers/minimal-ssr) does.
 */
export { render } from 'svelte/server';
/**
 * The framework's runServer as bundled into this build: a script that runs createBlogServer with
 * the package's own runServer loads the framework a second time (about 130 more modules).
 */
export { runServer } from '@composable-svelte/server';

export interface BlogServerOptions {
  /**
   * Where posts and subscribers live. Unset: the database the configuration names (DATABASE_URL,
   * else the embedded one in DATABASE_DIR). A caller that brings either repository gets in-memory
   * storage for the other (tests and benchmarks).
   */
  readonly repository?: PostsRepository;
  readonly subscriptions?: SubscriptionsRepository;
  /** Where the client build lives; defaults to dist/client next to this built file. */
  readonly clientDir?: string;
  readonly config?: Partial<ServerConfig>;
  readonly env?: Record<string, string | undefined>;
  /** Post covers: where they are stored (default `.data/uploads`) and the largest accepted (default 2 MiB). */
  readonly covers?: { readonly directory?: string; readonly maxBytes?: number };
  /** Jobs run besides the blog's own, on its database (a test's job); the admin jobs page shows them. */
  readonly jobs?: readonly JobDefinition[];
  /** Cron schedules of those jobs. */
  readonly schedules?: readonly JobSchedule[];
  /** How account mail is retried while the mail server is down (see blog-jobs.ts). */
  readonly mailRetry?: RetryPolicy;
  /** The batching window of comment notice mails (default 10 minutes); tests shorten it. */
  readonly commentNoticeWindowMs?: number;
}

/** What the pages read of the accounts feature beyond the viewer. */
export interface BlogAccounts {
  readonly apiKeys: (viewer: Viewer) => Promise<ApiKeyList>;
  readonly providers: readonly SignInProvider[];
  /** The admin pages' lists (the routes let only admins reach them). */
  readonly admin: AdminData;
}

const ADMIN_PAGES: ReadonlySet<string> = new Set(['admin', 'adminUsers', 'adminJobs']);
/** The signed-out pages whose forms need a CSRF token: they are private, never in the shared cache. */
const ACCOUNT_FORM_PAGES: ReadonlySet<string> = new Set(['login', 'signup', 'forgotPassword', 'resetPassword']);

export function blogApp(
  repository: PostsRepository,
  subscriptions: SubscriptionsRepository = createInMemorySubscriptionsRepository(),
  /** Accounts need the database; a blog on in-memory repositories (tests, benchmarks) has none. */
  accountsFeature?: BlogAccounts,
) {
  const accounts = accountsFeature !== undefined;
  return defineApp<BlogState, BlogAction, BlogDependencies, Destination>({
    component: App,
    reducer: blogReducer,
    router,
    clientEntry: 'src/client/entry.ts',
    locales,
    // The page's chunk, its features' and its locale's messages: all are needed before the browser hydrates.
    pageModule: (state) => [
      ...pageModules(state.page.route),
      ...messagesModules(state.locale, sectionOf(state.page.route)),
    ],
    load(route, url, context) {
      const page = pageForRoute(route, locales.split(url.pathname + url.search).path);
      const locale = context.locale as Locale;
      const account = {
        ...initialAccountState(accounts, context.viewer),
        providers: accountsFeature?.providers ?? [],
      };
      // A token only where a form needs it: any page of a signed-in viewer (sign-out) and the
      // sign-in forms. Those pages are private; anonymous reading pages stay shared and cached.
      const forms = context.viewer !== null || ACCOUNT_FORM_PAGES.has(page.route);
      const withToken = accounts && forms ? { ...account, csrfToken: context.csrfToken() } : account;
      const actions: BlogAction[] = [{ type: 'navigate', page }];
      const flash = accounts ? context.flash() : undefined;
      if (flash) actions.push({ type: 'flashShown', flash });
      const refused = refusedForms.get(context.request);
      if (refused) actions.push({ type: 'accountFormRefused', ...refused });
      const keyOutcome = apiKeyOutcomes.get(context.request);
      if (keyOutcome?.kind === 'created') actions.push({ type: 'apiKeyCreated', created: keyOutcome.created });
      if (keyOutcome?.kind === 'refused')
        actions.push({ type: 'apiKeyFormRefused', message: keyOutcome.message, name: keyOutcome.name });
      const state = initialBlogState({ route: 'home', params: {}, query: {} }, url.origin, withToken, locale);
      // A signed-in reader comments under their account's name.
      const commentForm = context.viewer ? { ...state.commentForm, author: context.viewer.name } : state.commentForm;
      const editor = postEditors.get(context.request) ?? state.editor;
      // The page starts empty and the same navigate action the browser sends loads its data.
      // Live channels are served beside the accounts, by a blog on its database.
      return { state: { ...state, commentForm, editor, live: initialLiveState(accounts) }, actions };
    },
    auth: (route) => {
      if (!route.ok) return undefined;
      const { route: page } = route.destination;
      if (page === 'account' || page === 'accountKeys') return 'required';
      if (ADMIN_PAGES.has(page)) return { roles: ['admin'] };
      // The editor of an existing post is its own route (post-writing-routes.ts), which checks who wrote it.
      if (page === 'write') return { roles: ['author'] };
      return undefined;
    },
    dependencies: ({ request, csrfToken }) => ({
      api: createRepositoryApi({
        posts: repository,
        subscriptions,
        log: request.log,
        csrfToken,
        listSessions: async () => {
          if (!request.server.auth || !request.principal) throw new ApiError(401, 'Sign in to see your sessions.');
          return sessionSummaries(await request.server.auth.listSessions(request));
        },
        listApiKeys: async () => {
          if (!accountsFeature || !request.principal) throw new ApiError(401, 'Sign in to see your API keys.');
          return accountsFeature.apiKeys(request.principal.viewer);
        },
        ...(accountsFeature && isAdmin(request.principal?.viewer ?? null) ? { admin: accountsFeature.admin } : {}),
      }),
    }),
    errorState: ({ status, message, requestId, locale }) =>
      initialBlogState(
        { route: 'error', status, message, requestId },
        '',
        undefined,
        locales.isLocale(locale) ? locale : locales.defaultLocale,
      ),
    status: statusFor,
    cacheTags: (state) => {
      const page = state.page;
      if (page.route === 'home') return ['posts'];
      if (page.route === 'post' || page.route === 'comments') return [`post:${page.params.id}`, 'posts'];
      return [];
    },
  });
}

/** Every page component, lazy feature and locale's messages: App then renders any page synchronously. */
export async function loadPageModules(): Promise<void> {
  await Promise.all([
    ...locales.locales.map((locale) => pagesIn(locale).loadAll()),
    loadAllFeatures(),
    dictionaries.loadAll(),
    ...Object.values(sections).map((section) => section.loadAll()),
  ]);
}

export async function createBlogServer(options: BlogServerOptions = {}) {
  const clientDir = options.clientDir ?? fileURLToPath(new URL('../client', import.meta.url));
  const env = options.env ?? process.env;
  const config = loadServerConfig(env, options.config);
  // A caller that brings a repository runs the blog without its database, and without importing
  // what only the database serves (see blog-on-database.ts).
  const onDatabase =
    !options.repository && !options.subscriptions
      ? (await import('./blog-on-database.js')).blogOnDatabase(config, options)
      : undefined;
  const repository = onDatabase?.repository ?? options.repository ?? createInMemoryPostsRepository();
  const subscriptions = onDatabase?.subscriptions ?? options.subscriptions ?? createInMemorySubscriptionsRepository();
  // Pages render synchronously on the server: every page chunk is in before the first request.
  await loadPageModules();
  try {
    return await createServer({
      app: blogApp(repository, subscriptions, onDatabase?.accounts),
      clientDir,
      routes: async (fastify) => {
        if (onDatabase) await onDatabase.tokenRoutes(fastify);
        await fastify.register(apiRoutes(repository));
        await fastify.register(subscribeRoutes(repository, subscriptions));
        if (onDatabase) await onDatabase.routes(fastify);
        await fastify.register(commentRoutes(repository, subscriptions, onDatabase !== undefined));
        if (onDatabase) await onDatabase.writingRoutes(fastify);
      },
      ...(onDatabase ? onDatabase.server : {}),
      ...(options.config ? { config: options.config } : {}),
      env,
    });
  } catch (error) {
    await onDatabase?.close();
    throw error;
  }
}

/** What `composable-svelte dev` (npm run dev) loads and builds the server with. */
export default createBlogServer;
