/**
 * With an OpenTelemetry SDK registered (global state: this file has it to itself), a request becomes
 * a SERVER span continuing the caller's trace, and SSR adds ssr.settle and ssr.render under it.
 */
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeOpsServersAfterEach, startOpsServer } from './support/ops-server.js';

closeOpsServersAfterEach();

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  expect(propagation.setGlobalPropagator(new W3CTraceContextPropagator())).toBe(true);
});

afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  propagation.disable();
});

beforeEach(() => exporter.reset());

const spansNamed = (prefix: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.name.startsWith(prefix));

describe('with an OpenTelemetry SDK', () => {
  it('makes a page request a SERVER span under the incoming traceparent, with ssr.settle and ssr.render children', async () => {
    const { server, log } = await startOpsServer();
    const response = await server.inject({
      url: '/mode/slow',
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` },
    });
    expect(response.statusCode).toBe(200);

    const serverSpans = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    expect(serverSpans).toHaveLength(1);
    const root = serverSpans[0]!;
    expect(root.name).toBe('GET /*');
    expect(root.spanContext().traceId).toBe(TRACE_ID);
    expect(root.spanContext().spanId).not.toBe(PARENT_ID);
    expect(root.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(root.parentSpanContext?.traceId).toBe(TRACE_ID);
    expect(root.parentSpanContext?.isRemote).toBe(true);
    expect(root.attributes['http.response.status_code']).toBe(200);
    expect(root.attributes['http.request.method']).toBe('GET');
    expect(root.attributes['url.path']).toBe('/mode/slow');
    expect(root.status.code).not.toBe(SpanStatusCode.ERROR);

    for (const name of ['ssr.settle', 'ssr.render']) {
      const children = spansNamed(name);
      expect(children, name).toHaveLength(1);
      expect(children[0]!.spanContext().traceId).toBe(TRACE_ID);
      expect(children[0]!.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    }
    // The settle span covers the 30 ms the page waited for its effect.
    const settle = spansNamed('ssr.settle')[0]!;
    const durationMs = settle.duration[0] * 1000 + settle.duration[1] / 1e6;
    expect(durationMs).toBeGreaterThanOrEqual(25);

    // The log line carries the same trace id the SDK used.
    const line = log.withMessage('request completed').find((entry) => entry.reqId === response.headers['x-request-id']);
    expect(line?.traceId).toBe(TRACE_ID);
  });

  it('starts a new trace without a traceparent, and marks a 5xx span as an error', async () => {
    const { server, log } = await startOpsServer();
    const response = await server.inject('/mode/throws');
    expect(response.statusCode).toBe(500);
    const root = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER)!;
    expect(root).toBeDefined();
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.attributes['http.response.status_code']).toBe(500);
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    const line = log.withMessage('request completed').find((entry) => entry.reqId === response.headers['x-request-id']);
    expect(line?.traceId).toBe(root.spanContext().traceId);
  });
});
