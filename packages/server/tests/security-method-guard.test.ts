import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeServers, startServer } from './support/security-server.js';

closeServers();

const CLIENT = '203.0.113.7';
const REAL_ASSET = '/assets/entry-abc123.js';
const PROBE_AND_ASSET_PATHS = ['/health', '/ready', '/favicon.ico', REAL_ASSET, '/assets/x'];

/** A JSON body that is costly to parse: objects nested `depth` deep, padded towards `bytes`. */
function nestedJson(depth: number, bytes: number): string {
  const padding = 'x'.repeat(Math.max(0, bytes - depth * 8));
  return `${'{"a":'.repeat(depth)}"${padding}"${'}'.repeat(depth)}`;
}

function statusesOf(responses: readonly LightMyRequestResponse[]): number[] {
  return responses.map((response) => response.statusCode);
}

describe('method guard on probes, the favicon and assets', () => {
  it('refuses every other method with 405 and Allow: GET, HEAD, as JSON or a page', async () => {
    const { server } = await startServer();
    for (const url of PROBE_AND_ASSET_PATHS) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const) {
        const response = await server.inject({ method, url, headers: { accept: 'application/json' } });
        expect(response.statusCode, `${method} ${url}`).toBe(405);
        expect(response.headers.allow, `${method} ${url}`).toBe('GET, HEAD');
        expect(response.json().error).toMatchObject({ status: 405, code: 'METHOD_NOT_ALLOWED' });
        expect(response.json().error.message).toContain(`${method} is not allowed on ${url}`);
      }
    }
    const page = await server.inject({ method: 'POST', url: '/health', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(405);
    expect(page.headers.allow).toBe('GET, HEAD');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('refuses before the body is read: a malformed or oversized body never reaches a parser', async () => {
    const { server } = await startServer({ BODY_LIMIT_BYTES: '1024' });
    const malformed = await server.inject({
      method: 'POST',
      url: '/assets/x',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: '{"unterminated":',
    });
    expect(malformed.statusCode).toBe(405);
    const oversized = await server.inject({
      method: 'POST',
      url: '/ready',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      payload: nestedJson(100, 4096),
    });
    expect(oversized.statusCode).toBe(405);
  });

  it('40 posts of a large nested JSON to an asset path are counted: 405 up to the limit, then 429', async () => {
    const { server } = await startServer({ RATE_LIMIT_MAX: '5' });
    const body = nestedJson(5000, 1_000_000);
    const responses = [];
    for (let i = 0; i < 40; i++) {
      responses.push(
        await server.inject({
          method: 'POST',
          url: '/assets/x',
          remoteAddress: CLIENT,
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          payload: body,
        }),
      );
    }
    expect(statusesOf(responses)).toEqual([...Array(5).fill(405), ...Array(35).fill(429)]);
    // Reads of real assets and probes stay free for the limited client.
    for (const url of ['/health', REAL_ASSET]) {
      const read = await server.inject({ url, remoteAddress: CLIENT });
      expect(read.statusCode, url).toBe(200);
      expect(read.headers['ratelimit-limit'], url).toBeUndefined();
    }
  });
});

describe('rate limit exemption of probes and assets', () => {
  it('never counts GET and HEAD of real assets and probes', async () => {
    const { server } = await startServer({ RATE_LIMIT_MAX: '2' });
    for (let i = 0; i < 6; i++) {
      for (const url of ['/health', '/ready', REAL_ASSET]) {
        for (const method of ['GET', 'HEAD'] as const) {
          const response = await server.inject({ method, url, remoteAddress: CLIENT });
          expect(response.statusCode, `${method} ${url}`).toBe(200);
          expect(response.headers['ratelimit-limit'], `${method} ${url}`).toBeUndefined();
        }
      }
    }
    expect((await server.inject({ url: '/', remoteAddress: CLIENT })).headers['ratelimit-remaining']).toBe('1');
  });

  it.each([
    ['a malformed asset name', '/assets/a..b'],
    ['an asset that does not exist', '/assets/missing-0000.js'],
    ['a query string on the favicon', '/favicon.ico?x'],
    ['a favicon no route serves', '/favicon.ico'],
    ['a query string on a probe', '/health?verbose=1'],
    ['a query string on an asset', `${REAL_ASSET}?v=2`],
  ])('counts %s (%s): its error pages are not free', async (_label, url) => {
    const { server } = await startServer({ RATE_LIMIT_MAX: '3' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await server.inject({ url, remoteAddress: CLIENT })).statusCode);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(statuses.slice(0, 3)).not.toContain(429);
  });
});
