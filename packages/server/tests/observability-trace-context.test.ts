/** W3C traceparent parsing and the trace context every request carries (no OpenTelemetry SDK here). */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parseTraceparent, traceContext } from '../src/observability/trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it('reads version 00 with its trace id, parent id and sampled flag', () => {
    expect(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-01`)).toEqual({
      traceId: TRACE_ID,
      parentId: PARENT_ID,
      sampled: true,
    });
    expect(parseTraceparent(` 00-${TRACE_ID}-${PARENT_ID}-00 `)?.sampled).toBe(false);
    expect(parseTraceparent(`00-${TRACE_ID}-${PARENT_ID}-03`)?.sampled).toBe(true);
  });

  it('refuses all-zero ids, upper case, wrong lengths, other versions and non-strings', () => {
    for (const header of [
      `00-${'0'.repeat(32)}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${'0'.repeat(16)}-01`,
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`,
      `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`,
      `01-${TRACE_ID}-${PARENT_ID}-01`,
      `00-${TRACE_ID}-${PARENT_ID}`,
      '',
      undefined,
      ['00', TRACE_ID],
    ])
      expect(parseTraceparent(header), String(header)).toBeUndefined();
  });
});

describe('the traceContext plugin', () => {
  async function app() {
    const fastify = Fastify();
    await fastify.register(traceContext);
    fastify.get('/', async (request) => request.traceContext);
    return fastify;
  }

  it('continues an incoming trace with a span id of its own', async () => {
    const fastify = await app();
    const context = (
      await fastify.inject({ url: '/', headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` } })
    ).json();
    expect(context.traceId).toBe(TRACE_ID);
    expect(context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(context.spanId).not.toBe(PARENT_ID);
    expect(context.sampled).toBe(true);
    expect(context.traceparent).toBe(`00-${TRACE_ID}-${context.spanId}-01`);
  });

  it('starts a new, unsampled trace when the header is absent or malformed', async () => {
    const fastify = await app();
    for (const headers of [{}, { traceparent: 'garbage' }]) {
      const context = (await fastify.inject({ url: '/', headers })).json();
      expect(context.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(context.traceId).not.toBe(TRACE_ID);
      expect(context.traceparent).toBe(`00-${context.traceId}-${context.spanId}-00`);
    }
  });
});
