import { createStore, StoreSettleTimeoutError, type Store } from '@composable-svelte/core';
import { renderComponent } from '@composable-svelte/core/ssr/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDefinition, RequestContext } from '../app.js';
import type { ServerConfig } from '../config/load-config.js';
import { statusText } from '../errors/describe-error.js';
import type { ClientAssets } from './client-manifest.js';
import { renderDocument, renderFallbackErrorPage } from './document.js';
import { lazyChunksOf } from './page-chunks.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { inSpan } from '../observability/trace-context.js';
import type { RenderedPage } from '../cache/page-cache.js';
import type { DevIntegration } from '../dev/dev-integration.js';
import { actionName, serverTimingHeader, type EffectArrival } from './server-timing.js';
import '../auth/fastify-types.js';
import { boundedMemo } from '../cache/bounded-memo.js';
import { requestLocale } from '../i18n/request-locale.js';
import { isPrivateReply } from '../http/cache-control.js';

/**
 * The path and query of a request target. An origin-form target ("/a?b") is taken as it is —
 * "//evil.example/x" is a path with an empty first segment, never a host; only an absolute-form
 * target ("http://host/a") is parsed as a URL. The fragment, which clients should not send, is dropped.
 */
export function requestPath(target: string): string {
  if (target.startsWith('/')) {
    const hash = target.indexOf('#');
    return hash === -1 ? target : target.slice(0, hash);
  }
  const { pathname, search } = new URL(target, 'http://request.invalid');
  return pathname + search;
}

/** The public URL of a path: the origin is always ours, whatever the request said. */
function publicUrlOf(path: string, publicUrl: string): URL {
  const url = new URL(publicUrl);
  const query = path.indexOf('?');
  url.pathname = query === -1 ? path : path.slice(0, query);
  url.search = query === -1 ? '' : path.slice(query);
  return url;
}

/** Status code 499: the client closed the connection before the page was ready (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;

export interface PageRenderer {
  /**
   * Parse, load through the reducer, await settled, render. The reply is only used for what the
   * page asks of it (a CSRF cookie) and to notice a client that went away; nothing is sent.
   */
  render(request: FastifyRequest, reply: FastifyReply): Promise<RenderedPage>;
  /** Sends a rendered page with its status and preload hints. */
  send(reply: FastifyReply, page: RenderedPage): FastifyReply;
  /** render + send: the SSR route handler when no page cache is in front. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  /** `Link` header announcing the stylesheets and entry module, for early fetching. */
  readonly linkHeader: string;
  /**
   * The page's canonical path for cache keys: query parameters the route table ignores do not
   * create new entries (a flood of `?r=1`, `?r=2`… would otherwise push real pages out).
   */
  cachePath(request: FastifyRequest): string;
  /** The app's own error page for a status, with a message that is safe to show. */
  renderError(request: FastifyRequest, status: number, message: string): Promise<string>;
}

const CANONICAL_PATHS_KEPT = 1000;

export function createPageRenderer<S, A, D, Dest extends { route: string }>(
  app: AppDefinition<S, A, D, Dest>,
  assets: ClientAssets,
  config: ServerConfig,
  metrics?: ServerMetrics,
  dev?: DevIntegration,
): PageRenderer {
  const localeOf = (request: FastifyRequest) => requestLocale(request, app.locales, config.lang);
  // Development pages say where their time went (Server-Timing); production pays nothing for it.
  const timed = config.nodeEnv === 'development';
  const renderState = async (store: Store<S, A>, locale: string): Promise<string> => {
    const started = performance.now();
    const { head, body } = await renderComponent(app.component, { store });
    metrics?.ssrRenderDuration.observe((performance.now() - started) / 1000);
    return renderDocument({
      lang: app.lang?.(store.state) ?? locale,
      head,
      body,
      state: store.state,
      assets,
      lazyChunks: lazyChunksOf(app, assets, store.state),
      fallbackTitle: config.defaultTitle,
    });
  };

  const renderError = async (request: FastifyRequest, status: number, message: string): Promise<string> => {
    const locale = localeOf(request);
    const store = createStore<S, A, D>({
      initialState: app.errorState({ status, message, requestId: String(request.id), locale }),
      reducer: app.reducer,
    });
    try {
      return await renderState(store, locale);
    } catch (error) {
      request.log.error({ err: error }, 'the app error page failed to render; sent the fallback page');
      return renderFallbackErrorPage(status, message, String(request.id), locale);
    } finally {
      store.destroy();
    }
  };

  const linkHeader = [
    ...assets.styles.map((css) => `<${css.href}>; rel=preload; as=style`),
    `<${assets.script.href}>; rel=modulepreload`,
  ].join(', ');

  const render = async (request: FastifyRequest, reply: FastifyReply): Promise<RenderedPage> => {
    const controller = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableEnded) controller.abort(new Error('The client closed the connection'));
    };
    reply.raw.once('close', onClose);
    const path = requestPath(request.url);
    const context: RequestContext = {
      request,
      signal: controller.signal,
      csrfToken: () => {
        if (typeof reply.generateCsrf !== 'function')
          throw new Error('csrfToken(): CSRF protection is not enabled on this server');
        // A page holding a per-session token is private: it must never enter a shared cache.
        reply.header('cache-control', 'private, no-store');
        return reply.generateCsrf();
      },
      viewer: request.principal?.viewer ?? null,
      flash: () => request.server.auth?.takeFlash(request, reply),
      locale: localeOf(request),
    };
    // A page that may show who is asking is theirs alone.
    if (context.viewer) reply.header('cache-control', 'private, no-store');
    const route = app.router.parse(path);
    const effectErrors: unknown[] = [];
    let store: Store<S, A> | undefined;
    const started = performance.now();
    let settleStarted: number | undefined;
    const effects: EffectArrival[] = [];
    const reducer: typeof app.reducer = timed
      ? (state, action, dependencies) => {
          if (settleStarted !== undefined)
            effects.push({ action: actionName(action), atMs: performance.now() - settleStarted });
          return app.reducer(state, action, dependencies);
        }
      : app.reducer;
    try {
      const url = publicUrlOf(requestPath(request.originalUrl), config.publicUrl);
      const { state, actions = [] } = app.load(route, url, context);
      const created = createStore<S, A, D>({
        initialState: state,
        reducer,
        dependencies: app.dependencies(context),
        // Effects on the server are awaited and their failures decide the response.
        onEffectError: (error) => effectErrors.push(error),
      });
      store = created;
      controller.signal.addEventListener('abort', () => created.destroy(), { once: true });
      for (const action of actions) created.dispatch(action);
      settleStarted = performance.now();
      const settling = settleStarted;
      try {
        await inSpan(request, 'ssr.settle', () => created.settled({ timeoutMs: config.ssrTimeoutMs }));
        metrics?.ssrSettleDuration.observe({ outcome: 'settled' }, (performance.now() - settling) / 1000);
      } catch (error) {
        metrics?.ssrSettleDuration.observe({ outcome: 'timeout' }, (performance.now() - settling) / 1000);
        throw error;
      }
      const settledAt = performance.now();
      if (controller.signal.aborted) return { status: CLIENT_CLOSED_REQUEST, html: '', cacheable: false, tags: [] };
      if (effectErrors.length > 0) throw effectErrors[0];
      const status = route.ok ? (app.status?.(created.state) ?? 200) : route.reason === 'not-found' ? 404 : 400;
      const html = await inSpan(request, 'ssr.render', () => renderState(created, context.locale));
      if (timed) {
        const renderMs = performance.now() - settledAt;
        const timings = { loadMs: settling - started, settleMs: settledAt - settling, renderMs, effects };
        reply.header('server-timing', serverTimingHeader(timings));
      }
      return {
        status,
        html,
        cacheable: status === 200 && !isPrivateReply(reply),
        tags: app.cacheTags?.(created.state) ?? [],
      };
    } catch (error) {
      const timedOut = error instanceof StoreSettleTimeoutError;
      const status = timedOut ? 504 : 500;
      request.log.error(
        { err: error, url: request.url },
        timedOut ? 'SSR deadline passed; effects cancelled' : 'SSR failed',
      );
      const message =
        config.nodeEnv === 'production'
          ? statusText(status)
          : `${statusText(status)}: ${error instanceof Error ? error.message : String(error)}`;
      const page = await renderError(request, status, message);
      // Development: Vite's overlay over the app's error page, pointing at the source line.
      const end = page.lastIndexOf('</body>');
      const html = dev && end !== -1 ? page.slice(0, end) + dev.overlay(error) + page.slice(end) : page;
      return { status, html, cacheable: false, tags: [] };
    } finally {
      // Cancels every effect still running: a timed-out page must not keep working after the reply.
      store?.destroy();
      reply.raw.off('close', onClose);
    }
  };

  const send = (reply: FastifyReply, page: RenderedPage): FastifyReply => {
    if (page.status === CLIENT_CLOSED_REQUEST) return reply.code(page.status).send();
    if (page.status === 200) reply.header('link', linkHeader);
    // Encoded once here: the ETag hashes these bytes and the socket writes them, where a string
    // would be encoded for each (and measured once more for Content-Length).
    return reply.code(page.status).type('text/html; charset=utf-8').send(Buffer.from(page.html, 'utf8'));
  };

  // Parsing a path and writing it back is pure, and page-cache hits ask for the same few paths over
  // and over: remembered, bounded so that a crawl of unique URLs cannot grow it.
  const { href } = app.router;
  const canonicalPath = href
    ? boundedMemo(CANONICAL_PATHS_KEPT, (path) => {
        const route = app.router.parse(path);
        return route.ok ? href(route.destination) : path;
      })
    : (path: string) => path;
  const cachePath = (request: FastifyRequest): string => {
    const canonical = canonicalPath(requestPath(request.url));
    return app.locales ? app.locales.localize(localeOf(request), canonical) : canonical;
  };

  return {
    cachePath,
    render,
    send,
    handle: async (request, reply) => send(reply, await render(request, reply)),
    renderError,
    linkHeader,
  };
}
