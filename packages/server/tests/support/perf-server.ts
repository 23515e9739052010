/**
 * A small app for the HTTP caching, page cache and compression suites: every page load is counted
 * per path, pages carry cache tags, and a few pages are slow, private, failing or large on purpose.
 */
import { Effect } from '@composable-svelte/core';
import { createRouter, param, route, type DestinationOf } from '@composable-svelte/core/routing';
import type { FastifyPluginAsync } from 'fastify';
import { defineApp, type ComposableServer, type ServerConfig } from '../../src/index.js';
import { closeTestServers, PRODUCTION_ENV, sleep, startTestServer } from './test-server.js';
import PerfPage from './perf-page.svelte';

export interface PerfState {
  readonly title: string;
  readonly message: string;
  readonly status: number;
  readonly tags: readonly string[];
}

export type PerfAction =
  | { readonly type: 'load'; readonly mode: 'slow' | 'never' | 'throws' | 'gone' }
  | { readonly type: 'loaded'; readonly message: string; readonly status?: number };

const id = { id: param.int({ min: 1, max: 1_000_000_000 }) };

export const perfRouter = createRouter({
  home: route('/'),
  page: route('/pages/:id', { params: id }),
  post: route('/posts/:id', { params: id }),
  comments: route('/posts/:id/comments', { params: id }),
  slow: route('/slow/:id', { params: id }),
  big: route('/big/:id', { params: { id: param.int({ min: 1, max: 4096 }) } }),
  content: route('/content'),
  private: route('/private'),
  mode: route('/mode/:mode', { params: { mode: param.enum(['never', 'throws', 'gone'] as const) } }),
});

/** What a test controls and observes. */
export interface PerfControls {
  /** Page loads per request path (path + query): one per render, background refreshes included. */
  readonly renders: Map<string, number>;
  /** Shown by `/`, `/content` and `/slow/:id`: change it to tell a new render from a cached one. */
  content: string;
  /** How long `/slow/:id` and `/private` wait in an effect before the page settles. */
  delayMs: number;
  /** Status of `/content` (e.g. 410 once its subject is deleted). */
  contentStatus: number;
}

export function perfControls(): PerfControls {
  return { renders: new Map(), content: 'v1', delayMs: 60, contentStatus: 200 };
}

export const rendersOf = (controls: PerfControls, path: string): number => controls.renders.get(path) ?? 0;
export const totalRenders = (controls: PerfControls): number =>
  [...controls.renders.values()].reduce((a, b) => a + b, 0);

/** `kib` KiB of deterministic text over a small alphabet: compressible, but not trivially. */
export function bigText(kib: number, seed = kib): string {
  const alphabet = 'abcdefghijklmnop ';
  let x = (seed * 2654435761) >>> 0 || 1;
  let out = '';
  for (let i = 0; i < kib * 1024; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

const state = (title: string, message = '', tags: readonly string[] = []): PerfState => ({
  title,
  message,
  status: 200,
  tags,
});

export function perfApp(controls: PerfControls) {
  return defineApp<PerfState, PerfAction, PerfControls, DestinationOf<typeof perfRouter>>({
    component: PerfPage,
    router: perfRouter,
    clientEntry: 'src/entry.ts',
    reducer: (current, action, deps) => {
      if (action.type === 'loaded')
        return [{ ...current, message: action.message, status: action.status ?? current.status }, Effect.none()];
      switch (action.mode) {
        case 'slow':
          return [
            current,
            Effect.run<PerfAction>(async (dispatch) => {
              // The content is read when the render starts, as a database query would.
              const seen = deps.content;
              await sleep(deps.delayMs);
              dispatch({ type: 'loaded', message: `${current.message}${seen} (slow)` });
            }),
          ];
        case 'never':
          return [current, Effect.run<PerfAction>(() => new Promise<void>(() => {}))];
        case 'throws':
          return [
            current,
            Effect.run<PerfAction>(async () => {
              throw new Error('effect failed on purpose');
            }),
          ];
        case 'gone':
          return [
            current,
            Effect.run<PerfAction>(async (dispatch) => dispatch({ type: 'loaded', message: 'gone', status: 410 })),
          ];
      }
    },
    load(result, url, context) {
      const path = url.pathname + url.search;
      controls.renders.set(path, (controls.renders.get(path) ?? 0) + 1);
      if (!result.ok) return { state: { ...state('Not found'), status: result.reason === 'not-found' ? 404 : 400 } };
      const destination = result.destination;
      switch (destination.route) {
        case 'home':
          return { state: state('Home', controls.content, ['home']) };
        case 'page':
          return { state: state(`Page ${destination.params.id}`, 'A public page.', [`page:${destination.params.id}`]) };
        case 'post':
          return {
            state: state(`Post ${destination.params.id}`, 'A post.', [`post:${destination.params.id}`, 'posts']),
          };
        case 'comments':
          return {
            state: state(`Comments on post ${destination.params.id}`, 'No comments.', [
              `post:${destination.params.id}`,
              'posts',
            ]),
          };
        case 'slow':
          return {
            state: state(`Slow ${destination.params.id}`, '', [`slow:${destination.params.id}`]),
            actions: [{ type: 'load', mode: 'slow' }],
          };
        case 'big':
          return {
            state: state(`Big ${destination.params.id}`, bigText(destination.params.id), [
              `big:${destination.params.id}`,
            ]),
          };
        case 'content':
          return { state: { ...state('Content', controls.content, ['content']), status: controls.contentStatus } };
        case 'private':
          // A form with a per-session token: the page must stay private.
          return {
            state: state('Private', `token=${context.csrfToken()} `),
            actions: [{ type: 'load', mode: 'slow' }],
          };
        case 'mode':
          return {
            state: state(`Mode ${destination.params.mode}`),
            actions: [{ type: 'load', mode: destination.params.mode }],
          };
      }
    },
    dependencies: () => controls,
    errorState: ({ status, message }) => ({
      title: `${status} ${message}`,
      message: 'Something went wrong.',
      status,
      tags: [],
    }),
    status: (s) => s.status,
    cacheTags: (s) => s.tags,
  });
}

/** The environment the brief prescribes: production, quiet, protections that would interfere off. */
export const PERF_ENV: Readonly<Record<string, string>> = {
  ...PRODUCTION_ENV,
  RATE_LIMIT_MAX: '100000',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
};

/** Development: `x-cache` on pages and /metrics readable without a token. */
export const PERF_DEV_ENV: Readonly<Record<string, string>> = { ...PERF_ENV, NODE_ENV: 'development' };

/** Bytes that would compress very well: only the image type keeps them uncompressed. */
const IMAGE = Buffer.alloc(8192, 0x41);
export const BIG_JSON = {
  items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item number ${i}`, tags: ['alpha', 'beta'] })),
};
export const EVENT_STREAM = 'data: {"tick":1}\n\n'.repeat(400);

/** Non-page routes the suites need, each a case of the Cache-Control / compression rules. */
export const perfRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/item', async () => ({ id: 1, name: 'item' }));
  fastify.get('/api/big', async () => BIG_JSON);
  fastify.get('/api/fails', async () => {
    throw new Error('failed on purpose');
  });
  fastify.get('/api/route-choice', { config: { cacheControl: 'public, max-age=5' } }, async () => ({
    chosen: 'by route',
  }));
  fastify.get('/api/route-choice-fails', { config: { cacheControl: 'public, max-age=5' } }, async () => {
    throw new Error('failed on purpose');
  });
  fastify.get('/api/handler-public', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { chosen: 'by handler' };
  });
  fastify.get('/api/handler-public-then-fails', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    throw new Error('failed after choosing public');
  });
  fastify.get('/api/cookie', async (_request, reply) => {
    reply.setCookie('visited', 'yes', { path: '/' });
    return { cookie: 'set' };
  });
  fastify.get('/api/cookie-public', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    reply.setCookie('visited', 'yes', { path: '/' });
    return { cookie: 'set' };
  });
  fastify.get('/api/raw-cookie-public', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    reply.header('set-cookie', 'visited=yes; Path=/');
    return { cookie: 'set' };
  });
  fastify.get('/html-cookie', async (_request, reply) => {
    reply.setCookie('visited', 'yes', { path: '/' });
    return reply.type('text/html; charset=utf-8').send('<!doctype html><title>cookie</title><p>hello</p>');
  });
  fastify.get('/events', async (_request, reply) => reply.type('text/event-stream').send(EVENT_STREAM));
  fastify.get('/image.png', async (_request, reply) => reply.type('image/png').send(IMAGE));
  fastify.get('/text', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(bigText(4)));
  fastify.get('/svg', async (_request, reply) =>
    reply.type('image/svg+xml').send(`<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(600)}</svg>`),
  );
};

export interface PerfStartOptions {
  readonly env?: Record<string, string>;
  /** Development mode (x-cache, open /metrics); production otherwise. */
  readonly dev?: boolean;
  readonly routes?: FastifyPluginAsync;
  readonly clientDir?: string;
  readonly config?: Partial<ServerConfig>;
  readonly controls?: PerfControls;
  /** 'file' closes the server after the file instead of after the test. */
  readonly lifetime?: 'test' | 'file';
}

export interface PerfStarted {
  readonly server: ComposableServer;
  readonly controls: PerfControls;
  readonly clientDir: string;
}

/** Closes the servers {@link startPerfServer} started. Call once at the top of a test file. */
export const closePerfServers = closeTestServers;

export async function startPerfServer(options: PerfStartOptions = {}): Promise<PerfStarted> {
  const controls = options.controls ?? perfControls();
  const { server, clientDir } = await startTestServer({
    ...options,
    app: perfApp(controls),
    baseEnv: options.dev ? PERF_DEV_ENV : PERF_ENV,
    routes: options.routes ?? perfRoutes,
  });
  return { server, controls, clientDir };
}

/** `page_cache_events_total` by event, read from /metrics (development servers only). */
export async function pageCacheEvents(server: ComposableServer): Promise<Record<string, number>> {
  const response = await server.inject('/metrics');
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  const events: Record<string, number> = {};
  for (const line of response.body.split('\n')) {
    const match = /^(?:[a-zA-Z_:][a-zA-Z0-9_:]*_)?page_cache_events_total\{[^}]*event="([^"]+)"[^}]*\}\s+(\S+)/.exec(
      line,
    );
    if (match) events[match[1]!] = Number(match[2]);
  }
  return events;
}

export { eventually as pollUntil, sleep } from './test-server.js';
