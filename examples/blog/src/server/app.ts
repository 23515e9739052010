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
import { apiRoutes } from './api-routes.js';
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
) {
  return defineApp<BlogState, BlogAction, BlogDependencies, Destination>({
    component: App,
    reducer: blogReducer,
    router,
    clientEntry: 'src/client/entry.ts',
    load(route, url) {
      const page = pageForRoute(route, url.pathname + url.search);
      // The page starts empty and the same navigate action the browser sends loads its data.
      return {
        state: initialBlogState({ route: 'home', params: {}, query: {} }, url.origin),
        actions: [{ type: 'navigate', page }],
      };
    },
    dependencies: ({ request, csrfToken }) => ({
      api: createRepositoryApi({ posts: repository, subscriptions, log: request.log, csrfToken }),
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
      app: blogApp(repository, subscriptions),
      clientDir,
      routes: async (fastify) => {
        await fastify.register(apiRoutes(repository));
        await fastify.register(subscribeRoutes(repository, subscriptions));
        await fastify.register(commentRoutes(repository, subscriptions));
      },
      ...(onDatabase ? { database } : {}),
      ...(options.config ? { config: options.config } : {}),
      env,
    });
  } catch (error) {
    await opened?.database.close();
    throw error;
  }
}
