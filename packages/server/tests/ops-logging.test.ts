import type { FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import { closeOpsServersAfterEach, OPS_DEVELOPMENT_ENV, startOpsServer } from './support/ops-server.js';

closeOpsServersAfterEach();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;

/** Values that must never reach a log line, whichever way they travel. */
const SECRETS = {
  bearer: 's3cret-token',
  cookie: 's3cret-cookie',
  password: 'p4ss',
  token: 't0k',
  deepSecret: 'x-deep-s3cret-value',
  apiKey: 'ak-0123456789-s3cret',
};

/** Secrets carried by an internal error's own properties (a driver error holding its connection options). */
const ERROR_SECRETS = {
  detailsPassword: 'hunter2-in-details',
  connectionToken: 'conn-key-7f3a9e',
};

const routes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/plain', async () => ({ plain: true }));
  fastify.get('/log-secrets', async (request) => {
    request.log.info(
      {
        user: { name: 'ada', password: SECRETS.password },
        token: SECRETS.token,
        nested: { deep: { secret: SECRETS.deepSecret } },
        apiKey: SECRETS.apiKey,
        list: [{ api_key: SECRETS.apiKey }],
      },
      'msg',
    );
    return { logged: true };
  });
  // A developer logging the whole header block: authorization and cookie must still be hidden.
  fastify.get('/log-headers', async (request) => {
    request.log.info({ headers: request.headers }, 'request headers');
    return { logged: true };
  });
  fastify.get('/boom', async () => {
    // Internal: not an HttpError. The message is harmless; the extra properties are not.
    throw Object.assign(new Error('database write failed'), {
      details: {
        user: 'ada',
        password: ERROR_SECRETS.detailsPassword,
        connection: { token: ERROR_SECRETS.connectionToken },
      },
    });
  });
};

const SECRET_HEADERS = { authorization: `Bearer ${SECRETS.bearer}`, cookie: `session=${SECRETS.cookie}` };

describe('request log', () => {
  it('writes exactly one "request completed" line per request, with id, method, route, url, status, duration and trace id', async () => {
    const { server, log } = await startOpsServer({ routes });
    const requests = [
      { method: 'GET', url: '/' },
      { method: 'GET', url: '/plain?x=1' },
      { method: 'GET', url: '/no/such/page' },
      { method: 'HEAD', url: '/' },
      { method: 'GET', url: '/items/7' },
    ] as const;
    const responses = [];
    for (const request of requests) responses.push(await server.inject(request));

    const completed = log.withMessage('request completed');
    expect(completed).toHaveLength(requests.length);
    responses.forEach((response, index) => {
      const id = response.headers['x-request-id'];
      expect(id).toMatch(UUID);
      const lines = completed.filter((line) => line.reqId === id);
      expect(lines, `${requests[index]!.url}`).toHaveLength(1);
      const line = lines[0]!;
      expect(line.method).toBe(requests[index]!.method);
      expect(line.url).toBe(requests[index]!.url);
      expect(line.status).toBe(response.statusCode);
      expect(typeof line.durationMs).toBe('number');
      expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
      expect(line.durationMs as number).toBeLessThan(5000);
      expect(line.traceId).toMatch(TRACE_ID);
      expect(typeof line.route).toBe('string');
    });
    const routeOf = (url: string) => completed.find((line) => line.url === url)!.route;
    expect(routeOf('/')).toBe('/*');
    expect(routeOf('/plain?x=1')).toBe('/plain');
    expect(completed.find((line) => line.url === '/no/such/page')!.status).toBe(404);
    // Successful requests are info (30), client errors too: none of them is an error line.
    for (const line of completed) expect(line.level).toBe(30);
  });

  it('does not log successful /health and /ready at info', async () => {
    const { server, log } = await startOpsServer();
    expect((await server.inject('/health')).statusCode).toBe(200);
    expect((await server.inject('/ready')).statusCode).toBe(200);
    expect((await server.inject('/')).statusCode).toBe(200);
    // Only the page request is in the log; the probes would otherwise drown it.
    expect(log.withMessage('request completed').map((line) => line.url)).toEqual(['/']);
  });

  it('logs successful /health and /ready at debug when LOG_LEVEL=debug', async () => {
    const { server, log } = await startOpsServer({ env: { LOG_LEVEL: 'debug' }, baseEnv: { ...OPS_DEVELOPMENT_ENV } });
    await server.inject('/metrics');
    const metricsLines = log.withMessage('request completed').filter((line) => line.url === '/metrics');
    expect(metricsLines.map((line) => line.level)).toEqual([20]);
    await server.inject('/health');
    await server.inject('/ready');
    const probeLines = log
      .withMessage('request completed')
      .filter((line) => line.url === '/health' || line.url === '/ready');
    expect(probeLines.map((line) => line.level)).toEqual([20, 20]);
  });

  it('logs a failing /ready (503) above debug: a dependency outage is news', async () => {
    const { server, log } = await startOpsServer({
      readinessChecks: {
        database: async () => {
          throw new Error('connection refused');
        },
      },
    });
    expect((await server.inject('/ready')).statusCode).toBe(503);
    const lines = log.withMessage('request completed').filter((line) => line.url === '/ready');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.level as number).toBeGreaterThanOrEqual(30);
  });
});

describe('secrets never reach the log', () => {
  it('hides credentials in headers, log objects and error details', async () => {
    const { server, log } = await startOpsServer({ routes, env: { LOG_LEVEL: 'trace' } });
    const responses = [];
    for (const url of ['/log-secrets', '/log-headers', '/boom', '/', '/plain', '/no/such/page']) {
      responses.push(
        await server.inject({ method: 'GET', url, headers: { ...SECRET_HEADERS, accept: 'application/json' } }),
      );
    }
    // A form post with a password field that fails CSRF: the body must not be logged either.
    responses.push(
      await server.inject({
        method: 'POST',
        url: '/plain',
        headers: { ...SECRET_HEADERS, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `password=${SECRETS.password}&token=${SECRETS.token}`,
      }),
    );
    expect(responses[2]!.statusCode).toBe(500);

    const raw = log.text();
    // The routes did log: the test would prove nothing if the lines were missing.
    expect(log.withMessage('msg')).toHaveLength(1);
    expect(log.withMessage('request headers')).toHaveLength(1);
    expect(raw).toContain('database write failed');
    expect(raw).toContain('[redacted]');
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(raw.includes(value), `${name} (${value}) was written to the log`).toBe(false);
    }
    // Non-secret fields next to the secrets survive.
    const logged = log.withMessage('msg')[0]!;
    expect((logged.user as { name: string }).name).toBe('ada');
  });

  it('hides secrets carried by an internal error’s own properties', async () => {
    const { server, log } = await startOpsServer({ routes });
    const response = await server.inject({ url: '/boom', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(500);
    const raw = log.text();
    expect(raw).toContain('database write failed');
    for (const [name, value] of Object.entries(ERROR_SECRETS)) {
      expect(raw.includes(value), `${name} (${value}) was written to the log`).toBe(false);
    }
  });
});

describe('secret query parameters never reach the log', () => {
  const QUERY_SECRETS = {
    token: 'q-t0ken-value',
    password: 'q-p4ssword-value',
    passwd: 'q-passwd-value',
    _csrf: 'q-csrf-value',
    api_key: 'q-api-key-value',
    signature: 'q-signature-value',
    sig: 'q-sig-value',
    code: 'q-oauth-code-value',
    key: 'q-key-value',
    secret: 'q-secret-value',
    session: 'q-session-value',
    auth: 'q-auth-value',
    'reset_token[]': 'q-reset-token-value',
  };
  const query = new URLSearchParams({ page: '2', ...QUERY_SECRETS, q: 'svelte' }).toString();

  it('redacts their values in the request log, on pages, 404s and errors, keeping the other parameters', async () => {
    const { server, log } = await startOpsServer({ routes });
    for (const path of ['/plain', '/', '/no/such/page', '/boom'])
      await server.inject({ url: `${path}?${query}`, headers: { accept: 'application/json' } });
    const lines = log.withMessage('request completed');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      const url = line.url as string;
      expect(url).toMatch(/^\/[^?]*\?page=2&/);
      expect(url).toContain('q=svelte');
      expect(url).toContain('token=[redacted]');
      expect(url).toContain('reset_token%5B%5D=[redacted]');
    }
    const raw = log.text();
    for (const [name, value] of Object.entries(QUERY_SECRETS))
      expect(raw.includes(value), `${name} (${value}) was written to the log`).toBe(false);
  });

  it('redacts them in any URL a route logs, and in a logged request', async () => {
    const { server, log } = await startOpsServer({
      routes: async (fastify) => {
        fastify.get('/log-urls', async (request) => {
          request.log.info(
            {
              callback: `https://idp.example/cb?${query}`,
              connection: 'postgres://app:hunter2-conn@db.internal:5432/blog',
              req: request,
              query: request.query,
            },
            'urls',
          );
          return { logged: true };
        });
      },
    });
    await server.inject(`/log-urls?${query}`);
    const [line] = log.withMessage('urls');
    expect(line!.callback).toMatch(/^https:\/\/idp\.example\/cb\?page=2&token=\[redacted\]&/);
    expect((line!.req as { url: string }).url).toMatch(/^\/log-urls\?page=2&token=\[redacted\]&/);
    expect(line!.connection).toBe('postgres://app:[redacted]@db.internal:5432/blog');
    expect(line!.query).toMatchObject({ page: '2', q: 'svelte', token: '[redacted]', _csrf: '[redacted]' });
    const raw = log.text();
    for (const [name, value] of Object.entries(QUERY_SECRETS))
      expect(raw.includes(value), `${name} (${value}) was written to the log`).toBe(false);
  });
});

describe('5xx errors', () => {
  it('are logged once with the stack and the request id', async () => {
    const { server, log } = await startOpsServer({ routes });
    const response = await server.inject({ url: '/boom', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(500);
    const id = response.headers['x-request-id'];
    const withStack = log
      .entries()
      .filter((entry) => typeof (entry.err as { stack?: unknown } | undefined)?.stack === 'string');
    expect(withStack).toHaveLength(1);
    const line = withStack[0]!;
    expect(line.reqId).toBe(id);
    expect(line.level).toBe(50);
    const stack = (line.err as { stack: string }).stack;
    expect(stack).toContain('database write failed');
    expect(stack).toMatch(/\n\s+at /);
    // The request line is there too, at error level, without a second copy of the stack.
    const completed = log.withMessage('request completed').filter((entry) => entry.reqId === id);
    expect(completed).toHaveLength(1);
    expect(completed[0]!.level).toBe(50);
    expect(completed[0]!.status).toBe(500);
    // The client sees the id, never the stack.
    expect(response.json<{ error: { requestId: string } }>().error.requestId).toBe(id);
    expect(response.body).not.toContain('database write failed');
  });

  it('logs a failing SSR page once with the stack and the request id', async () => {
    const { server, log } = await startOpsServer();
    const response = await server.inject('/mode/throws');
    expect(response.statusCode).toBe(500);
    const withStack = log
      .entries()
      .filter((entry) => typeof (entry.err as { stack?: unknown } | undefined)?.stack === 'string');
    expect(withStack).toHaveLength(1);
    expect(withStack[0]!.reqId).toBe(response.headers['x-request-id']);
    expect((withStack[0]!.err as { stack: string }).stack).toContain('effect exploded');
  });
});

describe('production output', () => {
  it('is JSON lines with level, time, pid, hostname and msg', async () => {
    const { server, log } = await startOpsServer({ routes });
    await server.inject('/');
    await server.inject('/boom');
    const raw = log.text();
    const lines = raw.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(raw.endsWith('\n')).toBe(true);
    for (const line of lines) {
      expect(line.startsWith('{')).toBe(true);
      // No ANSI colours, no pretty printing.
      expect(line).not.toContain('\u001b[');
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(typeof entry.level).toBe('number');
      expect(typeof entry.time).toBe('number');
      expect(typeof entry.msg).toBe('string');
      expect(entry.pid).toBe(process.pid);
    }
  });
});
