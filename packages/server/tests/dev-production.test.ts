import { afterEach, describe, expect, it } from 'vitest';
import { setDevIntegration } from '../src/dev/dev-integration.js';
import { createServer, type ComposableServer } from '../src/index.js';
import { fixtureApp, fixtureClientDir } from './fixtures/app.js';

const servers: ComposableServer[] = [];
afterEach(async () => {
  setDevIntegration(undefined);
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

// What the dev runner installs; a server must take it only outside production.
const OVERLAY = '<!-- dev overlay -->';
function installDevIntegration(): void {
  setDevIntegration({
    clientAssets: (entry) => ({
      script: { href: `/${entry}` },
      preloads: [],
      styles: [],
      dev: { scripts: ['/@vite/client'], styleNonce: 'dev-nonce' },
      lazyChunks: () => [],
    }),
    csp: { 'connect-src': ['ws://localhost:5173'], 'style-src': ["'nonce-dev-nonce'"] },
    overlay: () => OVERLAY,
  });
}

async function start(nodeEnv: 'production' | 'development') {
  const server = await createServer({
    app: fixtureApp({ signals: [] }),
    clientDir: fixtureClientDir(),
    env: {
      NODE_ENV: nodeEnv,
      LOG_LEVEL: 'silent',
      PUBLIC_URL: 'https://example.test',
      SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
      SSR_TIMEOUT_MS: '100',
    },
  });
  servers.push(server);
  return server;
}

describe('development aids never reach production', () => {
  it('a production server ignores the dev integration: same CSP, hashed assets, no overlay, no timings', async () => {
    const plain = await start('production');
    const expectedCsp = (await plain.inject('/')).headers['content-security-policy'];
    installDevIntegration();
    const server = await start('production');

    const page = await server.inject('/');
    expect(page.headers['content-security-policy']).toBe(expectedCsp);
    expect(page.headers['server-timing']).toBeUndefined();
    expect(page.headers['x-cache']).toBeUndefined();
    expect(page.body).not.toContain('/@vite/client');
    expect(page.body).not.toContain('csp-nonce');
    expect(page.body).toMatch(/<script type="module" src="\/assets\/entry-abc123\.js" integrity="sha384-/);

    for (const mode of ['throws', 'never']) {
      const failed = await server.inject(`/mode/${mode}`);
      expect(failed.statusCode).toBe(mode === 'never' ? 504 : 500);
      expect(failed.body).not.toContain(OVERLAY);
      expect(failed.body).not.toMatch(/exploded|CS1004|did not settle|\n\s+at /);
    }
  });

  it('the same server in development takes it: dev assets, CSP additions, the overlay and the whole error text', async () => {
    installDevIntegration();
    const server = await start('development');
    const page = await server.inject('/');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws://localhost:5173");
    expect(page.headers['server-timing']).toMatch(/^load;dur=/);
    expect(page.body).toContain('<script type="module" src="/@vite/client"></script>');
    const timedOut = await server.inject('/mode/never');
    expect(timedOut.statusCode).toBe(504);
    expect(timedOut.body).toContain(OVERLAY);
    expect(timedOut.body).toContain('error[CS1004]: Store did not settle within 100 ms');
  });
});
