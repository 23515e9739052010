import { createStore, StoreSettleTimeoutError, type Store } from '@composable-svelte/core';
import { renderComponent } from '@composable-svelte/core/ssr/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDefinition, RequestContext } from '../app.js';
import type { ServerConfig } from '../config/load-config.js';
import { statusText } from '../errors/describe-error.js';
import type { ClientAssets } from './client-manifest.js';
import { renderDocument, renderFallbackErrorPage } from './document.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { inSpan } from '../observability/trace-context.js';

/** The path and query of a request target, whatever form it arrived in (origin-form or absolute-form). */
export function requestPath(target: string): string {
  const { pathname, search } = new URL(target, 'http://request.invalid');
  return pathname + search;
}

/** Status code 499: the client closed the connection before the page was ready (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;

export interface PageRenderer {
  /** The SSR route handler: parse, load through the reducer, await settled, render, send. */
  handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  /** The app's own error page for a status, with a message that is safe to show. */
  renderError(request: FastifyRequest, status: number, message: string): Promise<string>;
}

export function createPageRenderer<S, A, D, Dest extends { route: string }>(
  app: AppDefinition<S, A, D, Dest>,
  assets: ClientAssets,
  config: ServerConfig,
  metrics?: ServerMetrics,
): PageRenderer {
  const renderState = async (store: Store<S, A>): Promise<string> => {
    const started = performance.now();
    const { head, body } = await renderComponent(app.component, { store });
    metrics?.ssrRenderDuration.observe((performance.now() - started) / 1000);
    return renderDocument({
      lang: app.lang?.(store.state) ?? config.lang,
      head,
      body,
      state: store.state,
      assets,
      fallbackTitle: config.defaultTitle,
    });
  };

  const renderError = async (request: FastifyRequest, status: number, message: string): Promise<string> => {
    const store = createStore<S, A, D>({
      initialState: app.errorState({ status, message, requestId: String(request.id) }),
      reducer: app.reducer,
    });
    try {
      return await renderState(store);
    } catch (error) {
      request.log.error({ err: error }, 'the app error page failed to render; sent the fallback page');
      return renderFallbackErrorPage(status, message, String(request.id), config.lang);
    } finally {
      store.destroy();
    }
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
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
        if (typeof reply.generateCsrf !== 'function') throw new Error('csrfToken(): CSRF protection is not enabled on this server');
        // A page holding a per-session token is private: it must never enter a shared cache.
        reply.header('cache-control', 'private, no-store');
        return reply.generateCsrf();
      },
    };
    const route = app.router.parse(path);
    const effectErrors: unknown[] = [];
    let store: Store<S, A> | undefined;
    try {
      // The origin is ours, never the request's: an absolute-form request target must not choose it.
      const url = new URL(path, config.publicUrl);
      const { state, actions = [] } = app.load(route, url, context);
      const created = createStore<S, A, D>({
        initialState: state,
        reducer: app.reducer,
        dependencies: app.dependencies(context),
        // Effects on the server are awaited and their failures decide the response.
        onEffectError: (error) => effectErrors.push(error),
      });
      store = created;
      controller.signal.addEventListener('abort', () => created.destroy(), { once: true });
      for (const action of actions) created.dispatch(action);
      const settleStarted = performance.now();
      try {
        await inSpan(request, 'ssr.settle', () => created.settled({ timeoutMs: config.ssrTimeoutMs }));
        metrics?.ssrSettleDuration.observe({ outcome: 'settled' }, (performance.now() - settleStarted) / 1000);
      } catch (error) {
        metrics?.ssrSettleDuration.observe({ outcome: 'timeout' }, (performance.now() - settleStarted) / 1000);
        throw error;
      }
      if (controller.signal.aborted) return reply.code(CLIENT_CLOSED_REQUEST).send();
      if (effectErrors.length > 0) throw effectErrors[0];
      const status = route.ok ? app.status?.(created.state) ?? 200 : route.reason === 'not-found' ? 404 : 400;
      const html = await inSpan(request, 'ssr.render', () => renderState(created));
      return reply.code(status).type('text/html; charset=utf-8').send(html);
    } catch (error) {
      const timedOut = error instanceof StoreSettleTimeoutError;
      const status = timedOut ? 504 : 500;
      request.log.error({ err: error, url: request.url }, timedOut ? 'SSR deadline passed; effects cancelled' : 'SSR failed');
      const message =
        config.nodeEnv === 'production' ? statusText(status) : `${statusText(status)}: ${error instanceof Error ? error.message : String(error)}`;
      return reply.code(status).type('text/html; charset=utf-8').send(await renderError(request, status, message));
    } finally {
      // Cancels every effect still running: a timed-out page must not keep working after the reply.
      store?.destroy();
      reply.raw.off('close', onClose);
    }
  };

  return { handle, renderError };
}
