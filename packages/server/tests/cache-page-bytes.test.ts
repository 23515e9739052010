/**
 * Cached pages are kept as bytes, encoded once when stored: a hit sends exactly the bytes the
 * render produced, with a Content-Length and a strong ETag of those bytes.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryPageStore } from '../src/cache/memory-page-store.js';
import { createPageCache } from '../src/cache/page-cache.js';
import { strongEtag } from '../src/http/representation.js';
import { closePerfServers, startPerfServer } from './support/perf-server.js';

closePerfServers();

const TEXT = 'héllo ✓ 日本語 🚀 — «quoted»';

describe('page cache entries as bytes', () => {
  it('stores the UTF-8 bytes of the page with its strong ETag, and compressed variants of those bytes', async () => {
    const cache = createPageCache({
      store: createMemoryPageStore({ maxBytes: 1_000_000 }),
      ttlMs: 10_000,
      staleMs: 10_000,
      brotliQuality: 5,
    });
    const html = `<p>${TEXT}</p>`;
    const { entry } = await cache.render('GET /', async () => ({ status: 200, html, cacheable: true, tags: [] }));
    expect(Buffer.isBuffer(entry?.body)).toBe(true);
    expect(entry?.body.equals(Buffer.from(html, 'utf8'))).toBe(true);
    expect(entry?.etag).toBe(strongEtag(html));
    const found = await cache.lookup('GET /');
    expect(found?.entry.body.equals(Buffer.from(html, 'utf8'))).toBe(true);
  });

  it('a hit sends the bytes of the miss, with their length and the same strong ETag, and answers 304 to it', async () => {
    const { server, controls } = await startPerfServer({ dev: true });
    controls.content = TEXT;
    const miss = await server.inject({ url: '/content', headers: { accept: 'text/html' } });
    const hit = await server.inject({ url: '/content', headers: { accept: 'text/html' } });
    expect(miss.headers['x-cache']).toBe('MISS');
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.body).toContain(TEXT);
    expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true);
    expect(Number(hit.headers['content-length'])).toBe(hit.rawPayload.length);
    expect(Number(miss.headers['content-length'])).toBe(miss.rawPayload.length);
    expect(hit.rawPayload.length).toBeGreaterThan(hit.body.length);
    expect(hit.headers.etag).toBe(strongEtag(hit.rawPayload));
    expect(miss.headers.etag).toBe(hit.headers.etag);
    const revalidated = await server.inject({
      url: '/content',
      headers: { accept: 'text/html', 'if-none-match': String(hit.headers.etag) },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.rawPayload.length).toBe(0);
  });
});
