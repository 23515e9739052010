/**
 * A page-cache hit answered through the whole pipeline is remembered, and the next request that
 * HTTP would let share it (same URL, same values of the headers its Vary names) gets the same
 * answer from the replay point, while its entry is still the current one. Requests or answers that
 * are not a plain shared 200 are never replayed.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createHitReplay } from '../src/cache/hit-replay.js';
import type { PageEntry } from '../src/cache/page-entry.js';
import { closePerfServers, pageCacheEvents, rendersOf, startPerfServer } from './support/perf-server.js';

closePerfServers();

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

function pageEntry(html: string): PageEntry {
  const body = Buffer.from(html);
  return {
    body,
    br: Buffer.from(`br:${html}`),
    gzip: Buffer.from(`gz:${html}`),
    etag: `"${html.length}"`,
    lastModified: new Date(0).toUTCString(),
    createdAt: 0,
    freshUntil: Number.MAX_SAFE_INTEGER,
    staleUntil: Number.MAX_SAFE_INTEGER,
    tags: [],
  };
}

interface Harness {
  readonly app: FastifyInstance;
  /** Answers that went through the handler and the onSend steps (not replayed). */
  readonly handled: () => number;
  entry: PageEntry;
  current: boolean;
  setCookie: boolean;
}

/**
 * The shape of the page route: steps before the replay point (request id, a header set there and
 * removed later), the replay point, a handler serving the entry, onSend steps adding and changing
 * headers, and the remembering step once the answer is sent.
 */
async function harness(): Promise<Harness> {
  const replay = createHitReplay();
  const app = Fastify({ genReqId: () => randomUUID() });
  apps.push(app);
  let handled = 0;
  const state: Harness = {
    app,
    handled: () => handled,
    entry: pageEntry('<p>one</p>'),
    current: true,
    setCookie: false,
  };
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id).header('vary', 'origin').header('x-dropped-later', 'yes');
    done();
  });
  app.get(
    '/*',
    {
      preParsing: (request, reply, payload, done) => {
        replay.replay(request, reply);
        done(null, payload);
      },
      onSend: (request, reply, payload, done) => {
        handled++;
        reply.header('vary', 'origin, accept-language, accept-encoding').header('x-steps', String(handled));
        reply.removeHeader('x-dropped-later');
        if (state.setCookie) reply.header('set-cookie', 'a=b');
        done(null, payload);
      },
      onResponse: (request, reply, done) => {
        replay.sent(request, reply);
        done();
      },
    },
    async (request, reply) => {
      const { entry } = state;
      replay.served(reply, { key: 'GET /', entry, current: (_key, served) => state.current && served === state.entry });
      const encoding = request.headers['accept-encoding'] === 'br' ? 'br' : undefined;
      reply.type('text/html; charset=utf-8');
      return encoding ? reply.header('content-encoding', 'br').send(entry.br) : reply.send(entry.body);
    },
  );
  await app.ready();
  return state;
}

const withoutPerRequest = (headers: Record<string, unknown>) => {
  const { 'x-request-id': _id, date: _date, ...rest } = headers;
  return rest;
};

describe('replayed page-cache hits', () => {
  it('answers a repeat with the same status, headers and bytes, without running the later steps', async () => {
    const h = await harness();
    const first = await h.app.inject('/');
    const second = await h.app.inject('/');
    const third = await h.app.inject('/');
    expect(h.handled()).toBe(1);
    for (const response of [second, third]) {
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(withoutPerRequest(response.headers)).toEqual(withoutPerRequest(first.headers));
    }
    // The headers the later steps changed, added and removed are as they left them.
    expect(second.headers.vary).toBe('origin, accept-language, accept-encoding');
    expect(second.headers['x-steps']).toBe('1');
    expect(second.headers['x-dropped-later']).toBeUndefined();
    // What the steps before the replay point set is this request's own.
    const ids = new Set([first, second, third].map((response) => response.headers['x-request-id']));
    expect(ids.size).toBe(3);
  });

  it('keeps one answer per value of the headers Vary names, and shares it only on equal values', async () => {
    const h = await harness();
    const english = await h.app.inject({ url: '/', headers: { 'accept-language': 'en' } });
    const brotli = await h.app.inject({ url: '/', headers: { 'accept-language': 'en', 'accept-encoding': 'br' } });
    expect(h.handled()).toBe(2);
    const englishAgain = await h.app.inject({ url: '/', headers: { 'accept-language': 'en' } });
    const brotliAgain = await h.app.inject({ url: '/', headers: { 'accept-language': 'en', 'accept-encoding': 'br' } });
    expect(h.handled()).toBe(2);
    expect(englishAgain.rawPayload.equals(english.rawPayload)).toBe(true);
    expect(brotliAgain.rawPayload.equals(brotli.rawPayload)).toBe(true);
    expect(brotliAgain.headers['content-encoding']).toBe('br');
    expect(englishAgain.headers['content-encoding']).toBeUndefined();
    await h.app.inject({ url: '/', headers: { 'accept-language': 'fr' } });
    await h.app.inject({ url: '/?q=1', headers: { 'accept-language': 'en' } });
    expect(h.handled()).toBe(4);
  });

  it('stops replaying once the entry is no longer the current one', async () => {
    const h = await harness();
    await h.app.inject('/');
    h.entry = pageEntry('<p>two</p>');
    const after = await h.app.inject('/');
    expect(after.body).toBe('<p>two</p>');
    expect(h.handled()).toBe(2);
    expect((await h.app.inject('/')).body).toBe('<p>two</p>');
    expect(h.handled()).toBe(2);
    h.current = false;
    await h.app.inject('/');
    expect(h.handled()).toBe(3);
  });

  it('never replays conditional, ranged or credentialed requests, nor answers that set a cookie', async () => {
    const h = await harness();
    await h.app.inject('/');
    for (const headers of [
      { 'if-none-match': '"x"' },
      { 'if-modified-since': new Date().toUTCString() },
      { range: 'bytes=0-1' },
      { authorization: 'Bearer t' },
    ])
      await h.app.inject({ url: '/', headers });
    expect(h.handled()).toBe(5);
    const cookied = await harness();
    cookied.setCookie = true;
    await cookied.app.inject('/');
    await cookied.app.inject('/');
    expect(cookied.handled()).toBe(2);
  });
});

describe('replayed hits on the production preset', () => {
  it('serves the invalidated page freshly rendered, never the remembered answer', async () => {
    const { server, controls } = await startPerfServer();
    controls.content = 'first';
    await server.inject('/');
    expect((await server.inject('/')).body).toContain('first');
    controls.content = 'second';
    await server.pageCache!.invalidate({ tag: 'home' });
    expect((await server.inject('/')).body).toContain('second');
    expect((await server.inject('/')).body).toContain('second');
    expect(rendersOf(controls, '/')).toBe(2);
  });

  it('still counts replayed hits against the rate limit', async () => {
    const { server } = await startPerfServer({ env: { RATE_LIMIT_MAX: '3' } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.inject('/pages/1')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('counts replayed hits as page-cache hits in /metrics', async () => {
    const { server } = await startPerfServer({ dev: true });
    for (let i = 0; i < 4; i++) await server.inject('/pages/1');
    const events = await pageCacheEvents(server);
    expect(events.miss).toBe(1);
    expect(events.hit).toBe(3);
  });
});
