/**
 * The server-side page cache: MISS then HIT, stale-while-revalidate, single flight, what is never
 * cached, invalidation by tag and key, the memory LRU bound, metrics, and the Redis store shared
 * by instances (and what happens when Redis goes away).
 */
import fp from 'fastify-plugin';
import type { FastifyPluginAsync, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryPageStore } from '../src/cache/memory-page-store.js';
import { createPageCache, type PageCacheEvent, type RenderedPage } from '../src/cache/page-cache.js';
import type { PageEntry } from '../src/cache/page-entry.js';
import type { ComposableServer } from '../src/index.js';
import {
  closePerfServers,
  pageCacheEvents,
  perfRoutes,
  pollUntil,
  rendersOf,
  sleep,
  startPerfServer,
  totalRenders,
} from './support/perf-server.js';
import { requireRedis, requireRedisBinaries } from './support/redis-available.js';
import { createSpareRedis } from './support/redis-spare-server.js';

closePerfServers();

function get(
  server: ComposableServer,
  url: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return server.inject({ method: 'GET', url, headers });
}

const xCache = (response: LightMyRequestResponse) => response.headers['x-cache'];

describe('memory page cache over HTTP (development: x-cache)', () => {
  it('first request MISS, second HIT with the same bytes; the page is rendered once', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    const first = await get(server, '/pages/1');
    const second = await get(server, '/pages/1');
    const third = await get(server, '/pages/1', { 'accept-encoding': 'br' });
    expect(first.statusCode).toBe(200);
    expect(xCache(first)).toBe('MISS');
    expect(xCache(second)).toBe('HIT');
    expect(xCache(third)).toBe('HIT');
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(rendersOf(controls, '/pages/1')).toBe(1);
    // Other URLs are other entries.
    expect(xCache(await get(server, '/pages/2'))).toBe('MISS');
    expect(rendersOf(controls, '/pages/2')).toBe(1);
    // Production sends no x-cache header, but caches the same way.
    const production = await startPerfServer();
    await get(production.server, '/pages/1');
    const hit = await get(production.server, '/pages/1');
    expect(hit.headers['x-cache']).toBeUndefined();
    expect(rendersOf(production.controls, '/pages/1')).toBe(1);
  });

  it(
    'after CACHE_TTL_MS the old page is served at once (STALE) while one background render refreshes it',
    { timeout: 15_000 },
    async () => {
      const { server, controls } = await startPerfServer({
        dev: true,
        env: { CACHE_TTL_MS: '500', CACHE_STALE_MS: '60000' },
      });
      controls.delayMs = 600;
      const first = await get(server, '/slow/1');
      expect(xCache(first)).toBe('MISS');
      expect(first.body).toContain('v1 (slow)');
      controls.content = 'v2';

      const entry = await server.pageCache!.store.get('GET /slow/1');
      expect(entry).toBeDefined();
      await sleep(Math.max(0, entry!.freshUntil - Date.now()) + 30);

      const started = performance.now();
      const stale = await get(server, '/slow/1');
      const elapsed = performance.now() - started;
      expect(xCache(stale)).toBe('STALE');
      expect(stale.statusCode).toBe(200);
      expect(stale.body).toContain('v1 (slow)');
      // Served without waiting for the 600 ms render.
      expect(elapsed).toBeLessThan(300);
      expect(rendersOf(controls, '/slow/1')).toBe(2);

      // While the refresh runs, other requests get the stale page too and start no other render.
      const again = await get(server, '/slow/1');
      expect(xCache(again)).toBe('STALE');
      expect(again.body).toContain('v1 (slow)');
      expect(rendersOf(controls, '/slow/1')).toBe(2);

      let last: LightMyRequestResponse | undefined;
      const refreshed = await pollUntil(
        async () => {
          last = await get(server, '/slow/1');
          return xCache(last) === 'HIT';
        },
        3000,
        20,
      );
      expect(refreshed, `last x-cache: ${String(last && xCache(last))}`).toBe(true);
      expect(last!.body).toContain('v2 (slow)');
      expect(rendersOf(controls, '/slow/1')).toBe(2);
    },
  );

  it('past CACHE_TTL_MS + CACHE_STALE_MS the entry is gone: MISS, rendered again before answering', async () => {
    const { server, controls } = await startPerfServer({
      dev: true,
      env: { CACHE_TTL_MS: '40', CACHE_STALE_MS: '40' },
    });
    const first = await get(server, '/content');
    expect(xCache(first)).toBe('MISS');
    controls.content = 'second version';
    await sleep(150);
    const second = await get(server, '/content');
    expect(xCache(second)).toBe('MISS');
    expect(second.body).toContain('second version');
    expect(rendersOf(controls, '/content')).toBe(2);
  });

  it('single flight: 20 concurrent misses for one page render it once and all get identical bytes', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    controls.delayMs = 100;
    const responses = await Promise.all(Array.from({ length: 20 }, () => get(server, '/slow/2')));
    expect(rendersOf(controls, '/slow/2')).toBe(1);
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(xCache(response)).toBe('MISS');
      expect(response.rawPayload.equals(responses[0]!.rawPayload)).toBe(true);
      expect(response.headers.etag).toBe(responses[0]!.headers.etag);
    }
    const events = await pageCacheEvents(server);
    expect(events.shared).toBe(19);
    expect(events.store).toBe(1);
  });

  it('single flight serves each waiting client its own encoding of the one render', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    controls.delayMs = 80;
    const encodings = ['br', 'gzip', 'identity', 'br', 'gzip', 'identity', 'br', 'gzip'];
    const responses = await Promise.all(
      encodings.map((encoding) => get(server, '/slow/3', { 'accept-encoding': encoding })),
    );
    expect(rendersOf(controls, '/slow/3')).toBe(1);
    const entry = await server.pageCache!.store.get('GET /slow/3');
    expect(entry).toBeDefined();
    responses.forEach((response, i) => {
      const encoding = encodings[i]!;
      expect(response.headers['content-encoding'], encoding).toBe(encoding === 'identity' ? undefined : encoding);
      const expected = encoding === 'br' ? entry!.br : encoding === 'gzip' ? entry!.gzip : entry!.body;
      expect(response.rawPayload.equals(expected), encoding).toBe(true);
    });
  });

  it('a private page (csrfToken) is never stored or shared: concurrent visitors each get their own render and token', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    controls.delayMs = 80;
    const responses = await Promise.all(Array.from({ length: 5 }, () => get(server, '/private')));
    expect(rendersOf(controls, '/private')).toBe(5);
    const tokens = new Set<string>();
    const cookies = new Set<string>();
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      tokens.add(/token=([^ <]+)/.exec(response.body)![1]!);
      cookies.add(String(response.headers['set-cookie']));
    }
    expect(tokens.size).toBe(5);
    expect(cookies.size).toBe(5);
    expect(await server.pageCache!.store.get('GET /private')).toBeUndefined();
    const later = await get(server, '/private');
    expect(xCache(later)).toBe('MISS');
    expect(rendersOf(controls, '/private')).toBe(6);
  });

  it('error pages are never stored: 400, 404, 410, 500 and a render that timed out (504)', async () => {
    const { server, controls } = await startPerfServer({ dev: true, env: { SSR_TIMEOUT_MS: '100' } });
    for (const [url, status] of [
      ['/pages/0', 400],
      ['/no/such/page', 404],
      ['/mode/gone', 410],
      ['/mode/throws', 500],
      ['/mode/never', 504],
    ] as const) {
      for (let i = 1; i <= 2; i++) {
        const response = await get(server, url);
        expect(response.statusCode, url).toBe(status);
        expect(xCache(response), url).toBe('MISS');
        expect(response.headers['cache-control'], url).toBe('no-store');
      }
      expect(rendersOf(controls, url), url).toBe(2);
      expect(await server.pageCache!.store.get(`GET ${url}`), url).toBeUndefined();
    }
    expect((await pageCacheEvents(server)).store ?? 0).toBe(0);
  });

  /** A plugin (like a session plugin) that sets a cookie on requests that ask for one. */
  const cookieOnRequest = fp(async (fastify) => {
    fastify.addHook('preHandler', async (request, reply) => {
      if (request.headers['x-set-cookie'] === 'raw') reply.header('set-cookie', 'session=raw; Path=/; HttpOnly');
      if (request.headers['x-set-cookie'] === 'api') reply.setCookie('session', 'api', { path: '/', httpOnly: true });
    });
  });
  // Wrapped so the hook reaches the page routes next to it, as an app-wide plugin would.
  const routesWithCookies: FastifyPluginAsync = fp(async (fastify) => {
    await fastify.register(cookieOnRequest);
    await fastify.register(perfRoutes);
  });

  it('a page whose response sets a cookie (Set-Cookie header) is not stored and is private', async () => {
    const { server, controls } = await startPerfServer({ dev: true, routes: routesWithCookies });
    const withCookie = await get(server, '/pages/20', { 'x-set-cookie': 'raw' });
    expect(withCookie.statusCode).toBe(200);
    expect(withCookie.headers['set-cookie']).toBeDefined();
    expect(withCookie.headers['cache-control']).toBe('private, no-store');
    expect(await server.pageCache!.store.get('GET /pages/20')).toBeUndefined();
    expect(xCache(await get(server, '/pages/20'))).toBe('MISS');
    expect(rendersOf(controls, '/pages/20')).toBe(2);
  });

  it('a page whose response sets a cookie with reply.setCookie() is not stored and is private', async () => {
    const { server } = await startPerfServer({ dev: true, routes: routesWithCookies });
    const withCookie = await get(server, '/pages/21', { 'x-set-cookie': 'api' });
    expect(withCookie.headers['set-cookie']).toMatch(/^session=api/);
    expect(await server.pageCache!.store.get('GET /pages/21')).toBeUndefined();
    expect(withCookie.headers['cache-control']).toBe('private, no-store');
  });

  it('a stale page whose refresh renders 410 Gone is no longer served', async () => {
    const { server, controls } = await startPerfServer({
      dev: true,
      env: { CACHE_TTL_MS: '100', CACHE_STALE_MS: '60000' },
    });
    expect((await get(server, '/content')).statusCode).toBe(200);
    controls.contentStatus = 410;
    await sleep(150);
    const stale = await get(server, '/content');
    expect(xCache(stale)).toBe('STALE');
    expect(await pollUntil(() => rendersOf(controls, '/content') === 2, 2000)).toBe(true);
    await sleep(50);
    const after = await get(server, '/content');
    expect(after.statusCode).toBe(410);
  });

  it('invalidate({ tag }) drops every page with the tag and no other; invalidate({ key }) drops one', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    const urls = ['/posts/3', '/posts/3/comments', '/posts/4', '/pages/1'];
    for (const url of urls) expect(xCache(await get(server, url)), url).toBe('MISS');
    for (const url of urls) expect(xCache(await get(server, url)), url).toBe('HIT');

    expect(await server.pageCache!.invalidate({ tag: 'post:3' })).toBe(2);
    expect(xCache(await get(server, '/posts/3'))).toBe('MISS');
    expect(xCache(await get(server, '/posts/3/comments'))).toBe('MISS');
    expect(xCache(await get(server, '/posts/4'))).toBe('HIT');
    expect(xCache(await get(server, '/pages/1'))).toBe('HIT');

    expect(await server.pageCache!.invalidate({ key: 'GET /pages/1' })).toBe(1);
    expect(await server.pageCache!.invalidate({ key: 'GET /pages/1' })).toBe(0);
    expect(xCache(await get(server, '/pages/1'))).toBe('MISS');
    expect(xCache(await get(server, '/posts/4'))).toBe('HIT');

    expect(await server.pageCache!.invalidate({ tag: 'posts' })).toBe(3);
    for (const url of ['/posts/3', '/posts/3/comments', '/posts/4'])
      expect(xCache(await get(server, url)), url).toBe('MISS');
    expect(xCache(await get(server, '/pages/1'))).toBe('HIT');
    expect(await server.pageCache!.invalidate({ tag: 'no-such-tag' })).toBe(0);

    expect(rendersOf(controls, '/posts/3')).toBe(3);
    expect(rendersOf(controls, '/posts/4')).toBe(2);
    expect(rendersOf(controls, '/pages/1')).toBe(2);
  });

  it('a render in flight when its tag is invalidated does not store its (older) page', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    controls.delayMs = 150;
    const inFlight = get(server, '/slow/4');
    expect(await pollUntil(() => rendersOf(controls, '/slow/4') === 1, 2000)).toBe(true);
    controls.content = 'v2';
    await server.pageCache!.invalidate({ tag: 'slow:4' });
    expect((await inFlight).body).toContain('v1 (slow)');
    const next = await get(server, '/slow/4');
    expect(next.body).toContain('v2 (slow)');
  });

  it('a page larger than CACHE_MAX_BYTES is served but not stored; the LRU drops old pages to fit new ones', async () => {
    const { server, controls } = await startPerfServer({ dev: true, env: { CACHE_MAX_BYTES: '1048576' } });
    // ~2 MiB of HTML (the text is in the page and in its state) cannot fit a 1 MiB cache.
    for (let i = 0; i < 2; i++) {
      const huge = await get(server, '/big/1024');
      expect(huge.statusCode).toBe(200);
      expect(xCache(huge)).toBe('MISS');
    }
    expect(rendersOf(controls, '/big/1024')).toBe(2);
    // ~400 KiB of HTML plus its br and gzip variants: one such page fills most of the cache.
    // (/big/n holds n KiB of text, twice.)
    expect(xCache(await get(server, '/big/200'))).toBe('MISS');
    expect(xCache(await get(server, '/big/200'))).toBe('HIT');
    expect(xCache(await get(server, '/big/201'))).toBe('MISS');
    expect(xCache(await get(server, '/big/201'))).toBe('HIT');
    expect(xCache(await get(server, '/big/200'))).toBe('MISS');
    expect(rendersOf(controls, '/big/200')).toBe(2);
  });

  it('counts page_cache_events_total by event in /metrics', async () => {
    const { server, controls } = await startPerfServer({
      dev: true,
      env: { CACHE_TTL_MS: '400', CACHE_STALE_MS: '60000' },
    });
    controls.delayMs = 60;
    await get(server, '/pages/30'); // miss, store
    await get(server, '/pages/30'); // hit
    await Promise.all([1, 2, 3].map(() => get(server, '/slow/31'))); // 3 misses, 1 store, 2 shared
    const entry = await server.pageCache!.store.get('GET /pages/30');
    await sleep(Math.max(0, entry!.freshUntil - Date.now()) + 30);
    expect(xCache(await get(server, '/pages/30'))).toBe('STALE'); // stale, refresh, then store
    expect(await pollUntil(async () => (await pageCacheEvents(server)).store === 3, 2000)).toBe(true);
    await server.pageCache!.invalidate({ tag: 'page:30' }); // invalidate (1 entry)
    const events = await pageCacheEvents(server);
    expect(events).toMatchObject({ miss: 4, hit: 1, stale: 1, refresh: 1, store: 3, shared: 2, invalidate: 1 });
    expect(events.error ?? 0).toBe(0);
    expect(totalRenders(controls)).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// The cache itself, with an injected clock: no waiting.
// ---------------------------------------------------------------------------------------------

function page(html: string, tags: readonly string[] = [], overrides: Partial<RenderedPage> = {}): RenderedPage {
  return { status: 200, html, cacheable: true, tags, ...overrides };
}

describe('createPageCache with an injected clock', () => {
  function setup(ttlMs = 100, staleMs = 1000) {
    let now = 1_000_000;
    const clock = () => now;
    const events: PageCacheEvent[] = [];
    const store = createMemoryPageStore({ maxBytes: 10_000_000, now: clock });
    const cache = createPageCache({
      store,
      ttlMs,
      staleMs,
      brotliQuality: 4,
      now: clock,
      onEvent: (event, count) => events.push(...Array<PageCacheEvent>(count ?? 1).fill(event)),
    });
    return { cache, store, events, advance: (ms: number) => (now += ms), now: clock };
  }

  it('fresh until ttl, stale until ttl + stale, then gone; a refresh replaces the entry once', async () => {
    const { cache, store, events, advance, now } = setup();
    let renders = 0;
    const produce = (html: string) => async () => {
      renders++;
      await sleep(20);
      return page(html, ['t']);
    };
    expect(await cache.lookup('GET /a')).toBeUndefined();
    const first = await cache.render('GET /a', produce('<p>one</p>'));
    expect(first.leader).toBe(true);
    expect(first.entry?.body.toString('utf8')).toBe('<p>one</p>');
    expect(first.entry?.freshUntil).toBe(now() + 100);
    expect(first.entry?.staleUntil).toBe(now() + 1100);
    expect(first.entry?.lastModified).toBe(new Date(now()).toUTCString());

    advance(99);
    expect((await cache.lookup('GET /a'))?.state).toBe('fresh');
    advance(1);
    const stale = await cache.lookup('GET /a');
    expect(stale?.state).toBe('stale');
    expect(stale?.entry.body.toString('utf8')).toBe('<p>one</p>');

    cache.refresh('GET /a', produce('<p>two</p>'));
    cache.refresh('GET /a', produce('<p>three</p>'));
    expect(await pollUntil(async () => (await store.get('GET /a'))?.body.toString('utf8') === '<p>two</p>', 2000)).toBe(
      true,
    );
    expect(renders).toBe(2);
    const refreshed = await cache.lookup('GET /a');
    expect(refreshed?.state).toBe('fresh');
    expect(refreshed?.entry.body.toString('utf8')).toBe('<p>two</p>');

    advance(1100);
    expect(await cache.lookup('GET /a')).toBeUndefined();
    expect(events).toEqual(['miss', 'store', 'hit', 'stale', 'refresh', 'store', 'hit', 'miss']);
  });

  it("single flight: concurrent renders of one key share the leader's result; other keys do not wait", async () => {
    const { cache } = setup();
    let renders = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const produce = async () => {
      renders++;
      await gate;
      return page('<p>shared</p>');
    };
    const calls = Array.from({ length: 10 }, () => cache.render('GET /k', produce));
    const other = await cache.render('GET /other', async () => page('<p>other</p>'));
    expect(other.page.html).toBe('<p>other</p>');
    release();
    const results = await Promise.all(calls);
    expect(renders).toBe(1);
    expect(results.filter((r) => r.leader)).toHaveLength(1);
    for (const result of results) expect(result.entry?.br.equals(results[0]!.entry!.br)).toBe(true);
  });

  it('a result that is not cacheable is returned to the leader only and never stored', async () => {
    const { cache, store } = setup();
    for (const rendered of [
      page('<p>private</p>', [], { cacheable: false }),
      page('<p>gone</p>', [], { status: 410, cacheable: false }),
    ]) {
      const result = await cache.render('GET /p', async () => rendered);
      expect(result.page).toBe(rendered);
      expect(result.entry).toBeUndefined();
      expect(await store.get('GET /p')).toBeUndefined();
    }
  });

  it('CACHE_TTL_MS = CACHE_STALE_MS = 0 stores nothing', async () => {
    const { cache, store } = setup(0, 0);
    const result = await cache.render('GET /z', async () => page('<p>z</p>'));
    expect(result.entry).toBeUndefined();
    expect(await store.get('GET /z')).toBeUndefined();
  });

  it('a failing store reads as a miss and a failed write still answers; both are reported', async () => {
    const errors: string[] = [];
    const events: PageCacheEvent[] = [];
    const broken = {
      kind: 'memory' as const,
      get: async () => {
        throw new Error('store down');
      },
      set: async () => {
        throw new Error('store down');
      },
      deleteKey: async () => false,
      deleteTag: async () => 0,
      generation: async () => 0,
    };
    const cache = createPageCache({
      store: broken,
      ttlMs: 100,
      staleMs: 100,
      brotliQuality: 4,
      onEvent: (e) => events.push(e),
      onError: (_e, op) => errors.push(op),
    });
    expect(await cache.lookup('GET /x')).toBeUndefined();
    const result = await cache.render('GET /x', async () => page('<p>x</p>'));
    expect(result.page.html).toBe('<p>x</p>');
    expect(errors).toEqual(['get', 'store']);
    expect(events).toEqual(['error', 'error']);
  });
});

describe('createMemoryPageStore: LRU bounded by bytes', () => {
  /** An entry of exactly `size` bytes as the store counts them (body + br + gzip + 256). */
  function entryOfSize(size: number, tags: readonly string[], staleUntil = Number.MAX_SAFE_INTEGER): PageEntry {
    return {
      body: Buffer.alloc(size - 256 - 20, 'x'),
      br: Buffer.alloc(10),
      gzip: Buffer.alloc(10),
      etag: '"e"',
      lastModified: new Date(0).toUTCString(),
      createdAt: 0,
      freshUntil: staleUntil,
      staleUntil,
      tags,
    };
  }

  it('evicts the least recently used entries once maxBytes is reached, and forgets their tags', async () => {
    const store = createMemoryPageStore({ maxBytes: 3000 });
    await store.set('a', entryOfSize(1000, ['all', 'a']));
    await store.set('b', entryOfSize(1000, ['all', 'b']));
    await store.set('c', entryOfSize(1000, ['all', 'c']));
    expect(await store.get('a')).toBeDefined(); // a is now the most recently used
    await store.set('d', entryOfSize(1000, ['all', 'd']));
    expect(await store.get('b')).toBeUndefined();
    for (const key of ['a', 'c', 'd']) expect(await store.get(key), key).toBeDefined();
    expect(await store.deleteTag('b')).toBe(0);
    expect(await store.deleteTag('all')).toBe(3);
    for (const key of ['a', 'c', 'd']) expect(await store.get(key), key).toBeUndefined();
  });

  it('refuses an entry larger than the whole cache, without evicting others or tagging it', async () => {
    const store = createMemoryPageStore({ maxBytes: 3000 });
    await store.set('a', entryOfSize(1000, ['small']));
    await store.set('huge', entryOfSize(5000, ['huge']));
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('a')).toBeDefined();
    expect(await store.deleteTag('huge')).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Redis: shared by instances; a Redis outage only costs renders.
// ---------------------------------------------------------------------------------------------

const redisUrl = await requireRedis();

describe.skipIf(!redisUrl)('Redis page store (shared Redis)', () => {
  // The servers use the store's default prefix; every page here has an id of this run only, and
  // exactly those keys are deleted afterwards.
  const run = 100_000_000 + Math.floor(Math.random() * 800_000_000);
  const ids: number[] = [];
  const nextId = () => {
    const id = run + ids.length;
    ids.push(id);
    return id;
  };
  const slowIds: number[] = [];
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl!, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });

  afterAll(async () => {
    const pages = [
      ...ids.flatMap((id) => [`cs:page:e:GET /pages/${id}`, `cs:page:t:page:${id}`]),
      ...slowIds.flatMap((id) => [`cs:page:e:GET /slow/${id}`, `cs:page:t:slow:${id}`]),
    ];
    await redis.del(...pages);
    await redis.quit();
  });

  it(
    'two instances share pages: rendered by A is a HIT on B; invalidating on A makes B miss',
    { timeout: 20_000 },
    async () => {
      const env = { REDIS_URL: redisUrl! };
      const a = await startPerfServer({ dev: true, env });
      const b = await startPerfServer({ dev: true, env });
      const id = nextId();
      const url = `/pages/${id}`;

      const onA = await get(a.server, url);
      expect(xCache(onA)).toBe('MISS');
      const onB = await get(b.server, url);
      expect(xCache(onB)).toBe('HIT');
      expect(onB.rawPayload.equals(onA.rawPayload)).toBe(true);
      expect(onB.headers.etag).toBe(onA.headers.etag);
      expect(rendersOf(a.controls, url)).toBe(1);
      expect(rendersOf(b.controls, url)).toBe(0);
      const brOnB = await get(b.server, url, { 'accept-encoding': 'br' });
      expect(brOnB.headers['content-encoding']).toBe('br');
      expect(xCache(brOnB)).toBe('HIT');

      expect(await a.server.pageCache!.invalidate({ tag: `page:${id}` })).toBe(1);
      expect(xCache(await get(b.server, url))).toBe('MISS');
      expect(rendersOf(b.controls, url)).toBe(1);
      expect(xCache(await get(a.server, url))).toBe('HIT');
      expect(rendersOf(a.controls, url)).toBe(1);

      expect(await b.server.pageCache!.invalidate({ key: `GET ${url}` })).toBe(1);
      expect(xCache(await get(a.server, url))).toBe('MISS');
      expect(rendersOf(a.controls, url)).toBe(2);
    },
  );

  it(
    'a render in flight on B when A invalidates its tag is not stored: the next request on either renders anew',
    { timeout: 20_000 },
    async () => {
      const env = { REDIS_URL: redisUrl! };
      const a = await startPerfServer({ dev: true, env });
      const b = await startPerfServer({ dev: true, env });
      const id = nextId();
      const url = `/slow/${id}`;
      slowIds.push(id);
      b.controls.delayMs = 150;
      const inFlight = get(b.server, url);
      expect(await pollUntil(() => rendersOf(b.controls, url) === 1, 2000)).toBe(true);
      // What A's write changed; B already read the old content.
      b.controls.content = 'v2';
      a.controls.content = 'v2';
      await a.server.pageCache!.invalidate({ tag: `slow:${id}` });
      expect((await inFlight).body).toContain('v1 (slow)');

      const onA = await get(a.server, url);
      expect(xCache(onA)).toBe('MISS');
      expect(onA.body).toContain('v2 (slow)');
      expect(xCache(await get(b.server, url))).toBe('HIT');
    },
  );
});

const redisBinaries = redisUrl ? requireRedisBinaries() : null;

describe.skipIf(!redisBinaries)('Redis page store when Redis goes away', () => {
  it('pages still render: no 5xx, bounded latency, errors counted', { timeout: 30_000 }, async () => {
    const spare = await createSpareRedis(redisBinaries!);
    try {
      await spare.start();
      const { server, controls } = await startPerfServer({ dev: true, env: { REDIS_URL: spare.url } });
      expect(xCache(await get(server, '/pages/1'))).toBe('MISS');
      expect(xCache(await get(server, '/pages/1'))).toBe('HIT');
      expect(rendersOf(controls, '/pages/1')).toBe(1);

      await spare.stop();
      const latencies: number[] = [];
      for (const url of ['/pages/1', '/pages/2', '/pages/1', '/posts/5', '/pages/1']) {
        const started = performance.now();
        const response = await get(server, url);
        latencies.push(performance.now() - started);
        expect(response.statusCode, url).toBe(200);
        expect(xCache(response), url).toBe('MISS');
        expect(response.body, url).toContain('<h1>');
      }
      // Each request waits at most for one failed Redis command (500 ms command timeout), not for Redis.
      expect(Math.max(...latencies), latencies.join(', ')).toBeLessThan(1500);
      expect(rendersOf(controls, '/pages/1')).toBe(4);
      expect((await pageCacheEvents(server)).error ?? 0).toBeGreaterThan(0);
    } finally {
      await spare.dispose();
    }
  });
});
