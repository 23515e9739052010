import {
  context as otelContext,
  propagation,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomHex } from './random-hex.js';

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

/** What the API's global provider delegates to until an SDK registers one. */
const NO_SDK = new ProxyTracerProvider().getDelegate();

/**
 * Whether an OpenTelemetry SDK is registered now. Asked per request, since an SDK may register
 * after the server starts; without one, spans, propagation and context are skipped altogether.
 */
export function tracingSdkInstalled(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NO_SDK;
}

/** The request's context without an SDK: made only if something asks for it. */
function contextOf(traceId: string, spanId: string, sampled: boolean): Context {
  return trace.setSpan(
    ROOT_CONTEXT,
    trace.wrapSpanContext({ traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE }),
  );
}

/**
 * W3C Trace Context on every request. The ids are parsed here so logs carry the trace id even
 * without an OpenTelemetry SDK; when an SDK is installed, the same request also becomes a server
 * span (and SSR adds child spans) through @opentelemetry/api, which is a no-op otherwise.
 */
async function traceContextPlugin(fastify: FastifyInstance): Promise<void> {
  const spans = new WeakMap<object, Span>();
  fastify.decorateRequest('traceContext', undefined);

  fastify.addHook('onRequest', (request, _reply, done) => {
    const incoming = parseTraceparent(request.headers.traceparent);
    if (!tracingSdkInstalled()) {
      request.traceContext = new LocalTraceContext(incoming?.sampled ?? false, incoming?.traceId);
      done();
      return;
    }
    request.traceContext = startServerSpan(request, incoming, spans);
    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}

/**
 * Without an SDK nothing records the request: its ids exist for log lines and outgoing calls, so
 * they are drawn only when one of those reads them (most requests log nothing at info).
 */
class LocalTraceContext implements TraceContext {
  #traceId: string | undefined;
  #spanId: string | undefined;
  #otel: Context | undefined;

  constructor(
    readonly sampled: boolean,
    traceId: string | undefined,
  ) {
    this.#traceId = traceId;
  }

  get traceId(): string {
    return (this.#traceId ??= randomHex(16));
  }

  get spanId(): string {
    return (this.#spanId ??= randomHex(8));
  }

  get traceparent(): string {
    return `00-${this.traceId}-${this.spanId}-${this.sampled ? '01' : '00'}`;
  }

  get otel(): Context {
    return (this.#otel ??= contextOf(this.traceId, this.spanId, this.sampled));
  }

  /** The ids as a plain object would show them (its getters are not own properties). */
  toJSON(): Omit<TraceContext, 'otel'> {
    return { traceId: this.traceId, spanId: this.spanId, sampled: this.sampled, traceparent: this.traceparent };
  }
}

/** With an SDK: the request's server span, a child of the caller's when a traceparent came in. */
function startServerSpan(
  request: FastifyRequest,
  incoming: ReturnType<typeof parseTraceparent>,
  spans: WeakMap<object, Span>,
): TraceContext {
  const sampled = incoming?.sampled ?? false;
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
  const traceId = recording ? spanContext.traceId : (incoming?.traceId ?? randomHex(16));
  const spanId = recording ? spanContext.spanId : randomHex(8);
  return {
    traceId,
    spanId,
    sampled,
    traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`,
    otel: trace.setSpan(parent, span),
  };
}

/** Runs `work` inside a child span of the request's span (no-op without an SDK). */
export async function inSpan<T>(
  request: { traceContext?: TraceContext },
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracingSdkInstalled()) return work();
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
