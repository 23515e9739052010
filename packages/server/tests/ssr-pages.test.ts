import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parseState } from '@composable-svelte/core/ssr';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type ComposableServer } from '../src/index.js';
import { fixtureApp, fixtureClientDir, type FixtureDependencies } from './fixtures/app.js';

const servers: ComposableServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(env: Record<string, string> = {}, config = {}) {
  const deps: FixtureDependencies = { signals: [] };
  const clientDir = fixtureClientDir();
  const server = await createServer({
    app: fixtureApp(deps),
    clientDir,
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://example.test',
      SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
      ...env,
    },
    config,
  });
  servers.push(server);
  return { server, deps, clientDir };
}

const stateOf = (html: string) =>
  parseState<{ title: string; message: string }>(
    /<script type="application\/json" id="composable-state">([^<]*)<\/script>/.exec(html)![1]!,
  );

describe('SSR page rendering', () => {
  it('renders the document: one title, head, lang, state block, module script and styles with integrity', async () => {
    const { server, clientDir } = await start();
    const response = await server.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html.startsWith('<!doctype html><html lang="en-GB">')).toBe(true);
    expect(html.match(/<title[\s>]/g)).toHaveLength(1);
    expect(html).toContain('<h1>Home &lt;/script>&lt;script>alert(1)&lt;/script></h1>');
    expect(html).not.toContain('</script><script>alert(1)');
    const sri = (file: string) =>
      `sha384-${createHash('sha384')
        .update(readFileSync(join(clientDir, file)))
        .digest('base64')}`;
    expect(html).toContain(
      `<script type="module" src="/assets/entry-abc123.js" integrity="${sri('assets/entry-abc123.js')}" crossorigin="anonymous"></script>`,
    );
    expect(html).toContain(
      `<link rel="modulepreload" href="/assets/shared-def456.js" integrity="${sri('assets/shared-def456.js')}"`,
    );
    expect(html).toContain(
      `<link rel="stylesheet" href="/assets/entry-abc123.css" integrity="${sri('assets/entry-abc123.css')}"`,
    );
    expect(html).toContain(`<link rel="stylesheet" href="/assets/shared-def456.css"`);
    expect(stateOf(html).title).toBe('Home </script><script>alert(1)</script>');
    // No inline executable script: every script is the JSON data block or has a src.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/type="application\/json"|src="/);
  });

  it('waits for effects to settle before rendering, so loaded data is in the HTML and the state', async () => {
    const { server } = await start();
    const response = await server.inject('/mode/slow');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('loaded after 30 ms');
    expect(stateOf(response.body).message).toBe('loaded after 30 ms');
  });

  it('answers 404 with the app page for an unknown path, 400 for a malformed param', async () => {
    const { server } = await start();
    const missing = await server.inject('/no/such/page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<h1>Nothing here</h1>');
    for (const url of ['/items/abc', '/items/0', '/items/101', '/items/01', '/mode/unknown']) {
      const bad = await server.inject(url);
      expect(bad.statusCode, url).toBe(400);
      expect(bad.body).toContain('<h1>Bad address</h1>');
    }
  });

  it('takes the status from the settled state', async () => {
    const { server } = await start();
    expect((await server.inject('/mode/gone')).statusCode).toBe(410);
  });

  it('answers 504 when effects outlive the deadline, and cancels them', async () => {
    const { server, deps } = await start({ SSR_TIMEOUT_MS: '80' });
    const started = Date.now();
    const response = await server.inject('/mode/never');
    expect(response.statusCode).toBe(504);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.body).toContain('504 Gateway Timeout');
    expect(deps.signals).toHaveLength(1);
    expect(deps.signals[0]!.aborted).toBe(true);
  });

  it.each([
    ['an effect throws', '/mode/throws'],
    ['the reducer throws', '/mode/reducer-throws'],
    ['the render throws', '/mode/render-throws'],
  ])('answers 500 with the error page and no internals in production when %s', async (_case, url) => {
    const { server } = await start();
    const response = await server.inject(url);
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('500 Internal Server Error');
    expect(response.body).not.toContain('secret internal detail');
    expect(response.body).toContain(`request ${response.headers['x-request-id']}`);
  });

  it('shows the error message in development', async () => {
    const { server } = await start({ NODE_ENV: 'development' });
    const response = await server.inject('/mode/throws');
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain('effect exploded: secret internal detail');
  });

  it('cancels a page’s effects when the client disconnects', async () => {
    const { server, deps } = await start({ SSR_TIMEOUT_MS: '10000' });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as { port: number };
    const request = httpRequest({ host: '127.0.0.1', port, path: '/mode/never' });
    request.on('error', () => {});
    request.end();
    const deadline = Date.now() + 2000;
    while (deps.signals.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(deps.signals).toHaveLength(1);
    request.destroy();
    while (!deps.signals[0]!.aborted && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(deps.signals[0]!.aborted).toBe(true);
  });

  it('answers HEAD like GET without a body', async () => {
    const { server } = await start();
    const get = await server.inject('/');
    const head = await server.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.body).toBe('');
  });
});

describe('framework routes', () => {
  it('serves hashed assets immutable for a year, and never dotfiles or files outside the root', async () => {
    const { server } = await start();
    const asset = await server.inject('/assets/entry-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    for (const url of [
      '/assets/../.secret',
      '/assets/%2e%2e/.secret',
      '/assets/..%2f.vite/manifest.json',
      '/assets/.secret',
      '/assets/missing.js',
    ]) {
      const response = await server.inject(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body).not.toContain('do not serve');
      expect(response.body).not.toContain('isEntry');
    }
  });

  it('answers /health', async () => {
    const { server } = await start();
    const response = await server.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('generates request ids and ignores ones the client sends', async () => {
    const { server } = await start();
    const a = await server.inject({ url: '/health', headers: { 'x-request-id': 'forged' } });
    const b = await server.inject('/health');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it('answers unknown non-GET routes with 404 as JSON or as the app page, by Accept', async () => {
    const { server } = await start();
    const json = await server.inject({ method: 'POST', url: '/nowhere', headers: { accept: 'application/json' } });
    expect(json.statusCode).toBe(404);
    expect(json.json()).toMatchObject({
      error: { status: 404, code: 'NOT_FOUND', requestId: json.headers['x-request-id'] },
    });
    const html = await server.inject({ method: 'POST', url: '/nowhere', headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(404);
    expect(html.body).toContain('404 Not Found');
  });
});
