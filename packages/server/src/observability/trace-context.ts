import { randomUUID } from 'node:crypto';
import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface TraceContext {
  /** 32 hex digits, from the caller's traceparent or new. */
  readonly traceId: string;
  /** This server's span for the request, 16 hex digits. */
  readonly spanId: string;
  readonly sampled: boolean;
  /** The header to send on outgoing calls made for this request, so the trace continues. */
  readonly traceparent: string;
  /** OpenTelemetry context holding the request span (a no-op span when no SDK is installed). */
  readonly otel: Context;
}

declare module 'fastify' {
  interface FastifyRequest {
    traceContext?: TraceContext;
  }
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function parseTraceparent(header: unknown): { traceId: string; parentId: string; sampled: boolean } | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match || match[1] === ZERO_TRACE || match[2] === ZERO_SPAN) return undefined;
  return { traceId: match[1]!, parentId: match[2]!, sampled: (Number.parseInt(match[3]!, 16) & 1) === 1 };
}

export const tracer = trace.getTracer('@composable-svelte/server');

/**
 * W3C Trace Context on every request. The ids are parsed here so logs carry the trace id even
 * without an OpenTelemetry SDK; when an SDK is installed, the same request also becomes a server
 * span (and SSR adds child spans) through @opentelemetry/api, which is a no-op otherwise.
 */
async function traceContextPlugin(fastify: FastifyInstance): Promise<void> {
  const spans = new WeakMap<object, Span>();
  fastify.decorateRequest('traceContext', undefined);

  fastify.addHook('onRequest', async (request) => {
    const incoming = parseTraceparent(request.headers.traceparent);
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      `${request.method} ${request.routeOptions.url ?? 'not found'}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0] ?? '/',
          'http.route': request.routeOptions.url ?? '',
        },
      },
      parent,
    );
    spans.set(request, span);
    const spanContext = span.spanContext();
    const recording = trace.isSpanContextValid(spanContext);
    // randomUUID draws from Node's buffered entropy pool: far cheaper per request than randomBytes.
    const traceId = recording ? spanContext.traceId : (incoming?.traceId ?? randomUUID().replaceAll('-', ''));
    const spanId = recording ? spanContext.spanId : randomUUID().replaceAll('-', '').slice(16);
    const sampled = incoming?.sampled ?? false;
    request.traceContext = {
      traceId,
      spanId,
      sampled,
      traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`,
      otel: trace.setSpan(parent, span),
    };
  });

  fastify.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}

/** Runs `work` inside a child span of the request's span (no-op without an SDK). */
export async function inSpan<T>(
  request: { traceContext?: TraceContext },
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  const parent = request.traceContext?.otel ?? otelContext.active();
  const span = tracer.startSpan(name, {}, parent);
  try {
    return await otelContext.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

export const traceContext = fp(traceContextPlugin, { name: '@composable-svelte/trace-context', fastify: '5.x' });
