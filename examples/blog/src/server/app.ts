import { fileURLToPath } from 'node:url';
import { createServer, defineApp, type ServerConfig } from '@composable-svelte/server';
import { loadServerConfig } from '@composable-svelte/server/config';
import App from '../shared/App.svelte';
import type { BlogDependencies } from '../shared/api.js';
import { statusFor } from '../shared/head.js';
import type { PostsRepository } from '../shared/model.js';
import { pageForRoute } from '../shared/page-for-route.js';
import { blogReducer } from '../shared/reducer.js';
import { router, type Destination } from '../shared/routes.js';
import { initialBlogState, type BlogAction, type BlogState } from '../shared/state.js';
import { initialAccountState } from '../shared/account.js';
import { ApiError } from '../shared/api.js';
import { accountRoutes, sessionSummaries } from './account-routes.js';
import { apiRoutes } from './api-routes.js';
import { refusedForms } from './form-outcome.js';
import { commentRoutes } from './comment-routes.js';
import { subscribeRoutes } from './subscribe-routes.js';
import { tokenAuth } from './token-auth.js';
import { accountRecovery } from './account-recovery.js';
import { apiKeyList, apiKeyRoutes } from './api-key-routes.js';
import { apiKeyOutcomes } from './api-key-outcome.js';
import { providersFromConfig, type TokenServices } from '@composable-svelte/server/auth';
import type { ApiKeyList, SignInProvider, Viewer } from '../shared/account.js';
import { oauthSignIn } from './oauth-sign-in.js';
import { createInMemorySubscriptionsRepository, type SubscriptionsRepository } from './subscriptions-repository.js';
import { createInMemoryPostsRepository } from './in-memory-posts-repository.js';
import { createRepositoryApi } from './repository-api.js';
import { createDatabasePostsRepository } from './db/database-posts-repository.js';
import { createDatabaseSubscriptionsRepository } from './db/database-subscriptions-repository.js';
import { openBlogDatabase } from './db/open-blog-database.js';
import { MIGRATIONS } from './db/paths.js';

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
}

/** What the pages read of the accounts feature beyond the viewer. */
export interface BlogAccounts {
  readonly apiKeys: (viewer: Viewer) => Promise<ApiKeyList>;
  readonly providers: readonly SignInProvider[];
}

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
    load(route, url, context) {
      const page = pageForRoute(route, url.pathname + url.search);
      const account = {
        ...initialAccountState(accounts, context.viewer),
        providers: accountsFeature?.providers ?? [],
      };
      // A token only where a form needs it: any page of a signed-in viewer (sign-out) and the
      // sign-in forms. Those pages are private; anonymous reading pages stay shared and cached.
      const forms =
        context.viewer !== null || page.route === 'login' || page.route === 'signup' || page.route === 'forgotPassword';
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
      const state = initialBlogState({ route: 'home', params: {}, query: {} }, url.origin, withToken);
      // A signed-in reader comments under their account's name.
      const commentForm = context.viewer ? { ...state.commentForm, author: context.viewer.name } : state.commentForm;
      // The page starts empty and the same navigate action the browser sends loads its data.
      return { state: { ...state, commentForm }, actions };
    },
    auth: (route) =>
      route.ok && (route.destination.route === 'account' || route.destination.route === 'accountKeys')
        ? 'required'
        : undefined,
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
      }),
    }),
    errorState: ({ status, message, requestId }) =>
      initialBlogState({ route: 'error', status, message, requestId }, ''),
    status: statusFor,
    cacheTags: (state) => {
      const page = state.page;
      if (page.route === 'home') return ['posts'];
      if (page.route === 'post' || page.route === 'comments') return [`post:${page.params.id}`, 'posts'];
      return [];
    },
  });
}

export async function createBlogServer(options: BlogServerOptions = {}) {
  const clientDir = options.clientDir ?? fileURLToPath(new URL('../client', import.meta.url));
  const env = options.env ?? process.env;
  const onDatabase = !options.repository && !options.subscriptions;
  let opened: Awaited<ReturnType<typeof openBlogDatabase>> | undefined;
  const db = () => {
    if (!opened) throw new Error('The blog database is not open yet');
    return opened.db;
  };
  const repository =
    options.repository ?? (onDatabase ? createDatabasePostsRepository(db) : createInMemoryPostsRepository());
  const subscriptions =
    options.subscriptions ??
    (onDatabase ? createDatabaseSubscriptionsRepository(db) : createInMemorySubscriptionsRepository());
  // Opened by createServer once its listener is built: a bad TLS file fails before a slow open.
  // The token services, once the routes have registered them (before any request).
  let tokens: TokenServices | undefined;
  const providers = onDatabase ? providersFromConfig(loadServerConfig(env, options.config)) : [];
  const accounts: BlogAccounts = {
    providers: providers.map(({ id, label }) => ({ id, label })),
    apiKeys: (viewer) => {
      if (!tokens) throw new Error('The token plugin is not registered yet');
      return apiKeyList(tokens, viewer);
    },
  };
  const database = async () => {
    opened = await openBlogDatabase(loadServerConfig(env, options.config), MIGRATIONS);
    return opened.database;
  };
  try {
    return await createServer({
      app: blogApp(repository, subscriptions, onDatabase ? accounts : undefined),
      clientDir,
      routes: async (fastify) => {
        // First and in this context (not a child): its bearer challenge hook then covers every route below.
        if (onDatabase) tokens = await tokenAuth(fastify);
        await fastify.register(apiRoutes(repository));
        await fastify.register(subscribeRoutes(repository, subscriptions));
        if (onDatabase) {
          const recovery = await accountRecovery(fastify);
          await fastify.register(accountRoutes, { recovery });
          await fastify.register(apiKeyRoutes);
          if (providers.length > 0) await oauthSignIn(fastify, providers);
        }
        await fastify.register(commentRoutes(repository, subscriptions, onDatabase));
      },
      ...(onDatabase ? { database, auth: {} } : {}),
      ...(options.config ? { config: options.config } : {}),
      env,
    });
  } catch (error) {
    await opened?.database.close();
    throw error;
  }
}

/** What `composable-svelte dev` (npm run dev) loads and builds the server with. */
export default createBlogServer;
