/**
 * Conditional requests and representation metadata, on a bare Fastify app that composes only the
 * representation and compression plugins: the rules, apart from the rest of the preset.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { compression } from '../src/http/compression.js';
import { addVary, noneMatchHits, representation, representationFinal } from '../src/http/representation.js';

const BIG = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}` })) });
const MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

async function app(): Promise<FastifyInstance> {
  const fastify = Fastify();
  await fastify.register(representation);
  await fastify.register(compression, { thresholdBytes: 1024, brotliQuality: 4 });
  await fastify.register(representationFinal);
  fastify.get('/big', async (_request, reply) => reply.type('application/json').send(BIG));
  fastify.get('/dated', async (_request, reply) => reply.header('last-modified', MODIFIED).send({ dated: true }));
  fastify.get('/cors-like', async (_request, reply) => {
    reply.header('vary', 'Origin');
    return reply.type('application/json').send(BIG);
  });
  return fastify;
}

describe('noneMatchHits (RFC 9110 §13.1.2, weak comparison)', () => {
  it('matches the selected tag, weak or strong, in a list, and the wildcard', () => {
    expect(noneMatchHits('"a"', '"a"')).toBe(true);
    expect(noneMatchHits('W/"a"', '"a"')).toBe(true);
    expect(noneMatchHits('"x", W/"a"', '"a"')).toBe(true);
    expect(noneMatchHits('*', '"a"')).toBe(true);
  });

  it('never matches another encoding of the same body, nor a missing header', () => {
    expect(noneMatchHits('"a-br"', '"a"')).toBe(false);
    expect(noneMatchHits('"a"', '"a-gz"')).toBe(false);
    expect(noneMatchHits(undefined, '"a"')).toBe(false);
    expect(noneMatchHits('', '"a"')).toBe(false);
  });
});

describe('conditional GET and HEAD', () => {
  it('answers 304 for the tag of the representation the request selects, and 200 for a sibling', async () => {
    const fastify = await app();
    const br = await fastify.inject({ url: '/big', headers: { 'accept-encoding': 'br' } });
    const identity = await fastify.inject({ url: '/big' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.etag).toBe(`${String(identity.headers.etag).slice(0, -1)}-br"`);
    const again = await fastify.inject({
      url: '/big',
      headers: { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(again.rawPayload.length).toBe(0);
    const sibling = await fastify.inject({ url: '/big', headers: { 'if-none-match': String(br.headers.etag) } });
    expect(sibling.statusCode).toBe(200);
  });

  it('answers 412 when If-Match names no current representation, and serves it when it does', async () => {
    const fastify = await app();
    const { etag } = (await fastify.inject('/big')).headers;
    const refused = await fastify.inject({ url: '/big', headers: { 'if-match': '"stale"' } });
    expect(refused.statusCode).toBe(412);
    expect(refused.json()).toMatchObject({ error: { status: 412, code: 'PRECONDITION_FAILED' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect((await fastify.inject({ url: '/big', headers: { 'if-match': String(etag) } })).statusCode).toBe(200);
    expect((await fastify.inject({ url: '/big', headers: { 'if-match': `W/${etag}` } })).statusCode).toBe(412);
    expect((await fastify.inject({ url: '/big', headers: { 'if-match': '*' } })).statusCode).toBe(200);
  });

  it('uses If-Modified-Since only without If-None-Match', async () => {
    const fastify = await app();
    const later = 'Thu, 02 Jan 2025 00:00:00 GMT';
    expect((await fastify.inject({ url: '/dated', headers: { 'if-modified-since': later } })).statusCode).toBe(304);
    const earlier = 'Tue, 31 Dec 2024 00:00:00 GMT';
    expect((await fastify.inject({ url: '/dated', headers: { 'if-modified-since': earlier } })).statusCode).toBe(200);
    const both = await fastify.inject({
      url: '/dated',
      headers: { 'if-modified-since': later, 'if-none-match': '"x"' },
    });
    expect(both.statusCode).toBe(200);
  });

  it('HEAD carries the headers GET has, compressed per request included', async () => {
    const fastify = await app();
    const headers = { 'accept-encoding': 'gzip' };
    const get = await fastify.inject({ url: '/big', headers });
    const head = await fastify.inject({ method: 'HEAD', url: '/big', headers });
    expect(head.rawPayload.length).toBe(0);
    for (const name of ['content-encoding', 'vary', 'etag', 'content-length'])
      expect(head.headers[name], name).toBe(get.headers[name]);
  });

  it('merges Vary with what a handler or plugin set before', async () => {
    const fastify = await app();
    const response = await fastify.inject({ url: '/cors-like', headers: { 'accept-encoding': 'br' } });
    expect(response.headers.vary).toBe('Origin, accept-encoding');
  });
});

describe('addVary', () => {
  it('adds each field once, case-insensitively, and leaves Vary: * alone', async () => {
    const fastify = Fastify();
    fastify.get('/', async (_request, reply) => {
      addVary(reply, 'Origin');
      addVary(reply, 'origin', 'Accept-Encoding');
      return { vary: reply.getHeader('vary') };
    });
    fastify.get('/star', async (_request, reply) => {
      reply.header('vary', '*');
      addVary(reply, 'Origin');
      return { vary: reply.getHeader('vary') };
    });
    expect((await fastify.inject('/')).json()).toEqual({ vary: 'Origin, Accept-Encoding' });
    expect((await fastify.inject('/star')).json()).toEqual({ vary: '*' });
  });
});
