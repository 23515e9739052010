import { trace } from '@opentelemetry/api';
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeOpsServersAfterEach, startOpsServer, type LogSink } from './support/ops-server.js';

closeOpsServersAfterEach();

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const HEX32 = /^[0-9a-f]{32}$/;

/** Shows what an outgoing call made for this request would carry. */
const routes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/api/outgoing', async (request) => ({
    traceparent: request.traceContext?.traceparent,
    sampled: request.traceContext?.sampled,
  }));
};

function traceIdLogged(log: LogSink, requestId: unknown): unknown {
  const lines = log.withMessage('request completed').filter((line) => line.reqId === requestId);
  expect(lines).toHaveLength(1);
  return lines[0]!.traceId;
}

describe('W3C trace context without an OpenTelemetry SDK', () => {
  it('runs without a global tracer provider (the no-op API)', () => {
    // Guard: a provider left registered by another file would change what these tests mean.
    expect(trace.isSpanContextValid(trace.getTracer('probe').startSpan('probe').spanContext())).toBe(false);
  });

  it('puts the trace id of a valid incoming traceparent in the request log line, for pages and routes', async () => {
    const { server, log } = await startOpsServer({ routes });
    for (const url of ['/', '/api/outgoing', '/no/such/page']) {
      const response = await server.inject({ url, headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } });
      expect(traceIdLogged(log, response.headers['x-request-id']), url).toBe(TRACE_ID);
    }
  });

  it('continues the trace on outgoing calls: same trace id, a new span id of its own, the sampled flag kept', async () => {
    const { server } = await startOpsServer({ routes });
    for (const flags of ['01', '00']) {
      const response = await server.inject({
        url: '/api/outgoing',
        headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-${flags}` },
      });
      const body = response.json<{ traceparent: string; sampled: boolean }>();
      const [version, traceId, spanId, outFlags] = body.traceparent.split('-');
      expect(version).toBe('00');
      expect(traceId).toBe(TRACE_ID);
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(spanId).not.toBe(PARENT_ID);
      expect(spanId).not.toBe('0'.repeat(16));
      expect(outFlags).toBe(flags);
      expect(body.sampled).toBe(flags === '01');
    }
  });

  it.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['a long trace id', `00-${TRACE_ID}a-${PARENT_ID}-01`],
    ['a short parent id', `00-${TRACE_ID}-${PARENT_ID.slice(1)}-01`],
    ['the forbidden version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['uppercase hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID.toUpperCase()}-01`],
    ['non-hex characters', `00-${TRACE_ID.slice(0, 31)}g-${PARENT_ID}-01`],
    ['missing flags', `00-${TRACE_ID}-${PARENT_ID}`],
    ['garbage', 'not a traceparent'],
  ])('ignores a traceparent with %s and logs a fresh trace id', async (_case, traceparent) => {
    const { server, log } = await startOpsServer();
    const first = await server.inject({ url: '/', headers: { traceparent } });
    const second = await server.inject({ url: '/', headers: { traceparent } });
    expect(first.statusCode).toBe(200);
    const ids = [traceIdLogged(log, first.headers['x-request-id']), traceIdLogged(log, second.headers['x-request-id'])];
    for (const id of ids) {
      expect(id).toMatch(HEX32);
      expect(id).not.toBe('0'.repeat(32));
      expect(traceparent.toLowerCase()).not.toContain(String(id));
    }
    // Fresh per request, not a constant.
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('gives every request without a traceparent a distinct trace id', async () => {
    const { server, log } = await startOpsServer();
    const ids = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const response = await server.inject('/health');
      expect(response.statusCode).toBe(200);
      ids.add(traceIdLogged(log, (await server.inject('/')).headers['x-request-id']));
    }
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(HEX32);
  });
});
