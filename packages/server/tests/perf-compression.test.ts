/**
 * Compression as clients negotiate it: br and gzip with q-values, the size threshold, types that
 * are never compressed, a distinct strong ETag per encoding, bodies that decompress to the exact
 * identity bytes, cached pages served from their stored variants, and precompressed static assets.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComposableServer } from '../src/index.js';
import { bigText, closePerfServers, EVENT_STREAM, startPerfServer } from './support/perf-server.js';

closePerfServers();

type Headers = Record<string, string>;

function get(server: ComposableServer, url: string, headers: Headers = {}): Promise<LightMyRequestResponse> {
  return server.inject({ method: 'GET', url, headers });
}

function decoded(response: LightMyRequestResponse): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.rawPayload);
  if (encoding === 'gzip') return gunzipSync(response.rawPayload);
  if (encoding === undefined) return response.rawPayload;
  throw new Error(`unexpected content-encoding ${String(encoding)}`);
}

const BROWSER = 'gzip, deflate, br, zstd';

describe('negotiation', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    ({ server } = await startPerfServer({ lifetime: 'file' }));
  });

  /** A cached page, JSON, text and SVG compressed per request. */
  const URLS = ['/big/8', '/api/big', '/text', '/svg'];

  const CASES: Array<[string, string | undefined]> = [
    ['br', 'br'],
    ['gzip', 'gzip'],
    [BROWSER, 'br'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0', undefined],
    ['br;q=0, gzip', 'gzip'],
    ['identity', undefined],
    ['', undefined],
    ['compress, deflate', undefined],
  ];

  for (const url of URLS) {
    it(`picks the encoding the client prefers, and the body decompresses to the identity bytes: ${url}`, async () => {
      const identity = await get(server, url, { 'accept-encoding': 'identity' });
      expect(identity.statusCode).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
      for (const [acceptEncoding, expected] of CASES) {
        const response = await get(server, url, { 'accept-encoding': acceptEncoding });
        expect(response.statusCode, acceptEncoding).toBe(200);
        expect(response.headers['content-encoding'], `${url} with "${acceptEncoding}"`).toBe(expected);
        expect(decoded(response).equals(identity.rawPayload), `${url} with "${acceptEncoding}"`).toBe(true);
        if (expected) expect(response.rawPayload.length, acceptEncoding).toBeLessThan(identity.rawPayload.length);
      }
    });
  }

  it('no Accept-Encoding at all means identity', async () => {
    for (const url of URLS) {
      const response = await server.inject({ method: 'GET', url });
      expect(response.headers['content-encoding'], url).toBeUndefined();
    }
  });

  it('a page rendered per request (page cache off) is compressed too', async () => {
    const uncached = (await startPerfServer({ env: { CACHE_ENABLED: 'false' } })).server;
    const identity = await get(uncached, '/big/8', { 'accept-encoding': 'identity' });
    for (const encoding of ['br', 'gzip']) {
      const response = await get(uncached, '/big/8', { 'accept-encoding': encoding });
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(decoded(response).equals(identity.rawPayload)).toBe(true);
    }
  });

  it('responses below COMPRESSION_THRESHOLD_BYTES are sent as they are', async () => {
    const small = await get(server, '/api/item', { 'accept-encoding': 'br, gzip' });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    const strict = (await startPerfServer({ env: { COMPRESSION_THRESHOLD_BYTES: '100000' } })).server;
    for (const url of ['/api/big', '/text', '/svg']) {
      const response = await get(strict, url, { 'accept-encoding': 'br, gzip' });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-encoding'], url).toBeUndefined();
    }
    const eager = (await startPerfServer({ env: { COMPRESSION_THRESHOLD_BYTES: '0' } })).server;
    expect((await get(eager, '/api/item', { 'accept-encoding': 'gzip' })).headers['content-encoding']).toBe('gzip');
    // Probes are never compressed (no compression hook on them: the first probe must not wait for it).
    for (const url of ['/health', '/ready']) {
      const probe = await get(eager, url, { 'accept-encoding': 'gzip' });
      expect(probe.statusCode, url).toBe(200);
      expect(probe.headers['content-encoding'], url).toBeUndefined();
    }
  });

  it('cached pages honour COMPRESSION_ENABLED=false and COMPRESSION_THRESHOLD_BYTES', async () => {
    for (const env of [{ COMPRESSION_ENABLED: 'false' }, { COMPRESSION_THRESHOLD_BYTES: '100000' }] as Array<
      Record<string, string>
    >) {
      const { server: tuned } = await startPerfServer({ env });
      for (let i = 0; i < 2; i++) {
        const response = await get(tuned, '/big/8', { 'accept-encoding': 'br, gzip' });
        expect(response.headers['content-encoding'], `${JSON.stringify(env)} request ${i + 1}`).toBeUndefined();
      }
    }
  });

  it('never compresses server-sent events or images; SVG is text and is compressed', async () => {
    const events = await get(server, '/events', { 'accept-encoding': 'br, gzip' });
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(events.headers['content-encoding']).toBeUndefined();
    expect(events.body).toBe(EVENT_STREAM);
    const image = await get(server, '/image.png', { 'accept-encoding': 'br, gzip' });
    expect(image.rawPayload.length).toBeGreaterThan(1024);
    expect(image.headers['content-encoding']).toBeUndefined();
    const svg = await get(server, '/svg', { 'accept-encoding': 'gzip' });
    expect(svg.headers['content-encoding']).toBe('gzip');
  });
});

describe('one strong ETag per representation', () => {
  let server: ComposableServer;
  beforeAll(async () => {
    ({ server } = await startPerfServer({ lifetime: 'file' }));
  });

  it('a cached page: identity "X", br "X-br", gzip "X-gz"', async () => {
    const identity = await get(server, '/big/5', { 'accept-encoding': 'identity' });
    const br = await get(server, '/big/5', { 'accept-encoding': 'br' });
    const gzip = await get(server, '/big/5', { 'accept-encoding': 'gzip' });
    const tag = identity.headers.etag as string;
    expect(tag).toMatch(/^"[^"]+"$/);
    expect(tag).not.toMatch(/-(br|gz)"$/);
    expect(br.headers.etag).toBe(`${tag.slice(0, -1)}-br"`);
    expect(gzip.headers.etag).toBe(`${tag.slice(0, -1)}-gz"`);
  });

  it('a response compressed per request gets "-br" / "-gz" on its ETag', async () => {
    const uncached = (await startPerfServer({ env: { CACHE_ENABLED: 'false' } })).server;
    for (const [target, url] of [
      [server, '/api/big'],
      [server, '/text'],
      [uncached, '/big/5'],
    ] as const) {
      const identity = await get(target, url, { 'accept-encoding': 'identity' });
      const br = await get(target, url, { 'accept-encoding': 'br' });
      const gzip = await get(target, url, { 'accept-encoding': 'gzip' });
      expect(br.headers['content-encoding'], url).toBe('br');
      expect(gzip.headers['content-encoding'], url).toBe('gzip');
      const tag = identity.headers.etag as string;
      expect(br.headers.etag, url).toBe(`${tag.slice(0, -1)}-br"`);
      expect(gzip.headers.etag, url).toBe(`${tag.slice(0, -1)}-gz"`);
    }
  });
});

describe('cached pages are compressed once, when stored', () => {
  it('two HITs send byte-identical br (and gzip) bodies: the variants the cache stored', async () => {
    const { server } = await startPerfServer({ dev: true, lifetime: 'test' });
    const miss = await get(server, '/big/6', { 'accept-encoding': 'br' });
    expect(miss.headers['x-cache']).toBe('MISS');
    const hit1 = await get(server, '/big/6', { 'accept-encoding': 'br' });
    const hit2 = await get(server, '/big/6', { 'accept-encoding': 'br' });
    expect(hit1.headers['x-cache']).toBe('HIT');
    expect(hit2.headers['x-cache']).toBe('HIT');
    expect(hit1.headers['content-encoding']).toBe('br');
    expect(hit1.rawPayload.equals(hit2.rawPayload)).toBe(true);
    expect(miss.rawPayload.equals(hit1.rawPayload)).toBe(true);

    const entry = await server.pageCache!.store.get('GET /big/6');
    expect(entry).toBeDefined();
    expect(hit1.rawPayload.equals(entry!.br)).toBe(true);
    const gzip = await get(server, '/big/6', { 'accept-encoding': 'gzip' });
    expect(gzip.rawPayload.equals(entry!.gzip)).toBe(true);
    expect(brotliDecompressSync(entry!.br).toString('utf8')).toBe(entry!.body.toString('utf8'));
    expect(gunzipSync(entry!.gzip).toString('utf8')).toBe(entry!.body.toString('utf8'));
    const identity = await get(server, '/big/6', { 'accept-encoding': 'identity' });
    expect(identity.rawPayload.equals(entry!.body)).toBe(true);
  });
});

describe('precompressed static assets', () => {
  const ASSET = 'app-9f8e7d.js';
  const source = `export const words = ${JSON.stringify(bigText(6, 99))};\n`.repeat(2);
  const br = brotliCompressSync(Buffer.from(source), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  const gz = gzipSync(Buffer.from(source), { level: 9 });
  let server: ComposableServer;

  beforeAll(async () => {
    const started = await startPerfServer({ lifetime: 'file' });
    server = started.server;
    writeFileSync(join(started.clientDir, 'assets', ASSET), source);
    writeFileSync(join(started.clientDir, 'assets', `${ASSET}.br`), br);
    writeFileSync(join(started.clientDir, 'assets', `${ASSET}.gz`), gz);
  });

  for (const [acceptEncoding, encoding, file] of [
    ['br', 'br', br],
    [BROWSER, 'br', br],
    ['gzip', 'gzip', gz],
  ] as const) {
    it(`Accept-Encoding "${acceptEncoding}" gets the .${encoding === 'br' ? 'br' : 'gz'} file as written at build time, immutable`, async () => {
      const response = await get(server, `/assets/${ASSET}`, { 'accept-encoding': acceptEncoding });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/javascript/);
      expect(String(response.headers.vary).toLowerCase()).toContain('accept-encoding');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.rawPayload.equals(file)).toBe(true);
      expect(decoded(response).toString('utf8')).toBe(source);
    });
  }

  it('identity gets the file itself, still with Vary and immutable caching', async () => {
    const response = await get(server, `/assets/${ASSET}`, { 'accept-encoding': 'identity' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe(source);
    expect(String(response.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('Range: bytes=0-9 on an asset answers 206 with those 10 bytes', async () => {
    const response = await get(server, `/assets/${ASSET}`, { range: 'bytes=0-9', 'accept-encoding': 'identity' });
    expect(response.statusCode).toBe(206);
    expect(response.rawPayload.length).toBe(10);
    expect(response.body).toBe(source.slice(0, 10));
    expect(response.headers['content-range']).toBe(`bytes 0-9/${Buffer.byteLength(source)}`);
    expect(response.headers['content-length']).toBe('10');
    expect(response.headers['content-encoding']).toBeUndefined();
  });
});
