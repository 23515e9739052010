import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { ConfigError, loadServerConfig } from '../src/subpaths/config.js';
import { closeServers, PRODUCTION_ENV, startServer } from './support/security-server.js';

// Property runs send hundreds of requests; leave room on a busy machine.
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

closeServers();

const APP = 'https://app.example';
const OTHER_APP = 'http://localhost:5173';

const corsHeadersOf = (response: LightMyRequestResponse) =>
  Object.fromEntries(Object.entries(response.headers).filter(([name]) => name.startsWith('access-control-')));

const preflight = (origin: string, method = 'POST', headers = 'content-type,x-csrf-token'): InjectOptions => ({
  method: 'OPTIONS',
  url: '/api/things',
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
});

/** Origins that are not on the allow-list, including near misses of the allowed ones. */
const foreignOrigin = fc
  .oneof(
    fc.webUrl({ validSchemes: ['http', 'https'] }).map((url) => new URL(url).origin),
    fc.constantFrom(
      'null',
      'http://app.example',
      'https://app.example:444',
      'https://app.example.evil.test',
      'https://evilapp.example',
      'https://APP.EXAMPLE',
      `${APP}/`,
      '*',
      'https://app.example%00.evil.test',
    ),
  )
  .filter((origin) => origin !== APP && origin !== OTHER_APP);

describe('CORS off by default', () => {
  it('sends no access-control-* header to any origin, and grants no preflight', async () => {
    const { server } = await startServer({ RATE_LIMIT_MAX: '1000000' });
    await fc.assert(
      fc.asyncProperty(fc.oneof(foreignOrigin, fc.constant(APP)), async (origin) => {
        for (const request of [
          { url: '/plain', headers: { origin } },
          { url: '/', headers: { origin } },
          preflight(origin),
        ] as InjectOptions[]) {
          const response = await server.inject(request);
          expect(corsHeadersOf(response), `${request.method ?? 'GET'} ${origin}`).toEqual({});
          if (request.method === 'OPTIONS') expect(response.statusCode).not.toBe(204);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('CORS with an allow-list', () => {
  it('an allowed origin gets exactly its own origin back and Vary: Origin; no credentials unless configured', async () => {
    const { server } = await startServer({ CORS_ORIGINS: `${APP}, ${OTHER_APP}` });
    for (const origin of [APP, OTHER_APP]) {
      const response = await server.inject({ url: '/plain', headers: { origin } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin'], origin).toBe(origin);
      expect(String(response.headers.vary), origin).toMatch(/(^|,\s*)origin(\s*,|$)/i);
      expect(response.headers['access-control-allow-credentials'], origin).toBeUndefined();
    }
  });

  it('property: any other origin gets no access-control-* header, on simple requests and preflights', async () => {
    const { server } = await startServer({ CORS_ORIGINS: `${APP},${OTHER_APP}`, RATE_LIMIT_MAX: '1000000' });
    await fc.assert(
      fc.asyncProperty(foreignOrigin, async (origin) => {
        const simple = await server.inject({ url: '/plain', headers: { origin } });
        expect(corsHeadersOf(simple), origin).toEqual({});
        // Responses differ by Origin, so caches must key on it, refusals included.
        expect(String(simple.headers.vary), origin).toMatch(/origin/i);
        const pre = await server.inject(preflight(origin));
        expect(corsHeadersOf(pre), `preflight ${origin}`).toEqual({});
        expect(pre.statusCode, `preflight ${origin}`).not.toBe(204);
      }),
      { numRuns: 60 },
    );
  });

  it('a preflight from an allowed origin answers 204 with the allowed methods and headers', async () => {
    const { server } = await startServer({ CORS_ORIGINS: APP });
    const response = await server.inject(preflight(APP, 'PUT'));
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(APP);
    const methods = String(response.headers['access-control-allow-methods']).split(/\s*,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    const allowed = String(response.headers['access-control-allow-headers'])
      .toLowerCase()
      .split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-csrf-token']));
    expect(allowed).not.toContain('*');
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(response.body).toBe('');
  });

  it('a preflight without access-control-request-method is not granted', async () => {
    const { server } = await startServer({ CORS_ORIGINS: APP });
    const response = await server.inject({ method: 'OPTIONS', url: '/api/things', headers: { origin: APP } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('CORS_CREDENTIALS=true adds allow-credentials for allowed origins only, never with *', async () => {
    const { server } = await startServer({ CORS_ORIGINS: APP, CORS_CREDENTIALS: 'true', RATE_LIMIT_MAX: '1000000' });
    for (const request of [{ url: '/plain', headers: { origin: APP } }, preflight(APP)] as InjectOptions[]) {
      const response = await server.inject(request);
      expect(response.headers['access-control-allow-origin']).toBe(APP);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
    }
    await fc.assert(
      fc.asyncProperty(fc.oneof(foreignOrigin, fc.constant(APP)), fc.boolean(), async (origin, isPreflight) => {
        const response = await server.inject(isPreflight ? preflight(origin) : { url: '/plain', headers: { origin } });
        const allowOrigin = response.headers['access-control-allow-origin'];
        expect(allowOrigin, origin).not.toBe('*');
        if (origin === APP) expect(allowOrigin).toBe(APP);
        else {
          expect(allowOrigin, origin).toBeUndefined();
          expect(response.headers['access-control-allow-credentials'], origin).toBeUndefined();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('CORS configuration', () => {
  const load = (env: Record<string, string>) => () => loadServerConfig({ ...PRODUCTION_ENV, ...env });

  it('CORS_CREDENTIALS=true without CORS_ORIGINS is a ConfigError, and the server does not start', async () => {
    expect(load({ CORS_CREDENTIALS: 'true' })).toThrow(ConfigError);
    expect(load({ CORS_CREDENTIALS: 'true' })).toThrow(/CORS_CREDENTIALS=true needs explicit CORS_ORIGINS/);
    await expect(startServer({ CORS_CREDENTIALS: 'true' })).rejects.toBeInstanceOf(ConfigError);
  });

  it.each([
    '*',
    'https://app.example/',
    'https://app.example:443',
    'https://app.example/path',
    'app.example',
    'ftp://app.example',
    'null',
  ])('CORS_ORIGINS=%s is refused: only exact origins, never a wildcard', (origins) => {
    expect(load({ CORS_ORIGINS: origins })).toThrow(ConfigError);
    expect(load({ CORS_ORIGINS: origins, CORS_CREDENTIALS: 'true' })).toThrow(/CORS_ORIGINS/);
  });

  it('CORS_ORIGINS=https://*.example is refused as a wildcard', () => {
    expect(load({ CORS_ORIGINS: 'https://*.example' })).toThrow(ConfigError);
  });
});
