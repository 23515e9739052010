/**
 * Route schemas: production skips checking them against the JSON Schema meta-schema (a start-up
 * cost), everything else is as outside production: requests are validated by the same compiled
 * schema, bad input gets the same 400.
 */
import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeTestServers, PRODUCTION_ENV, startTestServer } from './support/test-server.js';

closeTestServers();

const DEVELOPMENT_ENV = { NODE_ENV: 'development', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://example.test' };

/** GET /search?q=… with q a string of `minLength` to 5 characters, no other parameter. */
function searchRoute(minLength: number): FastifyPluginAsync {
  return async (app) => {
    const querystring = {
      type: 'object',
      required: ['q'],
      properties: { q: { type: 'string', minLength, maxLength: 5 } },
      additionalProperties: false,
    };
    app.get('/search', { schema: { querystring } }, async (request) => ({ query: request.query }));
  };
}

async function answers(env: Readonly<Record<string, string>>, url: string) {
  const { server } = await startTestServer({ baseEnv: env, routes: searchRoute(1) });
  const response = await server.inject({ url, headers: { accept: 'application/json' } });
  // Each request has its own id: the body may differ in nothing else.
  const body = response.body.replace(/"requestId":"[\w-]+"/, '"requestId":"(id)"');
  return { status: response.statusCode, body: JSON.parse(body) as unknown };
}

describe('route schemas', () => {
  it('validate requests the same way in production as outside it: the same 400 body for bad input', async () => {
    for (const url of ['/search?q=toolong', '/search', '/search?q=']) {
      const production = await answers(PRODUCTION_ENV, url);
      expect(production.status).toBe(400);
      expect(production).toEqual(await answers(DEVELOPMENT_ENV, url));
    }
    // Additional properties are removed, not refused (Fastify's Ajv defaults), in both.
    for (const env of [PRODUCTION_ENV, DEVELOPMENT_ENV]) {
      expect(await answers(env, '/search?q=ok&extra=1')).toEqual({
        status: 200,
        body: { query: { q: 'ok' } },
      });
    }
  });

  it('that the meta-schema refuses stop the start outside production; production does not check them', async () => {
    const development = await startTestServer({ baseEnv: DEVELOPMENT_ENV, routes: searchRoute(-1) });
    await expect(development.server.ready()).rejects.toThrow(/minLength/);
    const production = await startTestServer({ baseEnv: PRODUCTION_ENV, routes: searchRoute(-1) });
    expect((await production.server.inject('/search?q=ok')).statusCode).toBe(200);
  });
});
