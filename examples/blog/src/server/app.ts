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

export function blogApp(
  repository: PostsRepository,
  subscriptions: SubscriptionsRepository = createInMemorySubscriptionsRepository(),
  /** Accounts need the database; a blog on in-memory repositories (tests, benchmarks) has none. */
  accounts = false,
) {
  return defineApp<BlogState, BlogAction, BlogDependencies, Destination>({
    component: App,
    reducer: blogReducer,
    router,
    clientEntry: 'src/client/entry.ts',
    load(route, url, context) {
      const page = pageForRoute(route, url.pathname + url.search);
      const account = initialAccountState(accounts, context.viewer);
      // A token only where a form needs it: any page of a signed-in viewer (sign-out) and the
      // sign-in forms. Those pages are private; anonymous reading pages stay shared and cached.
      const forms = context.viewer !== null || page.route === 'login' || page.route === 'signup';
      const withToken = accounts && forms ? { ...account, csrfToken: context.csrfToken() } : account;
      const actions: BlogAction[] = [{ type: 'navigate', page }];
      const flash = accounts ? context.flash() : undefined;
      if (flash) actions.push({ type: 'flashShown', flash });
      const refused = refusedForms.get(context.request);
      if (refused) actions.push({ type: 'accountFormRefused', ...refused });
      const state = initialBlogState({ route: 'home', params: {}, query: {} }, url.origin, withToken);
      // A signed-in reader comments under their account's name.
      const commentForm = context.viewer ? { ...state.commentForm, author: context.viewer.name } : state.commentForm;
      // The page starts empty and the same navigate action the browser sends loads its data.
      return { state: { ...state, commentForm }, actions };
    },
    auth: (route) => (route.ok && route.destination.route === 'account' ? 'required' : undefined),
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
  const database = async () => {
    opened = await openBlogDatabase(loadServerConfig(env, options.config), MIGRATIONS);
    return opened.database;
  };
  try {
    return await createServer({
      app: blogApp(repository, subscriptions, onDatabase),
      clientDir,
      routes: async (fastify) => {
        await fastify.register(apiRoutes(repository));
        await fastify.register(subscribeRoutes(repository, subscriptions));
        if (onDatabase) await fastify.register(accountRoutes);
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
