import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTiers } from '@composable-svelte/testing';
import { writePrerenderedPages } from '../src/prerender/prerendered-files.js';
import { Browser, startAuthServer, STRONG_PASSWORD } from './support/auth-server.js';
import { closeTestServers, PRODUCTION_ENV, startTestServer } from './support/test-server.js';

closeTestServers();

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The fixture client build's entry and the test servers' PUBLIC_URL: what the pages must match. */
const BUILD = { clientScript: '/assets/entry-abc123.js', publicUrl: PRODUCTION_ENV.PUBLIC_URL! };
const COPY =
  '<!doctype html><html lang="en"><head><title>Home</title></head><body>THE PRERENDERED COPY' +
  '<script type="application/json" id="composable-state">{}</script></body></html>';

function prerenderedHome(build = BUILD): string {
  const dir = mkdtempSync(join(tmpdir(), 'cs-prerendered-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writePrerenderedPages(dir, { ...build, pages: [{ key: 'GET /', path: '/', html: COPY }] });
  return dir;
}

describe('who is served a prerendered page', () => {
  it(
    'anonymous visitors get it; a signed-in viewer never does, whatever the file says',
    { timeout: 60_000 },
    async () => {
      const tier = (await databaseTiers())[0]!;
      const opened = await tier.fresh();
      cleanups.push(opened.dispose);
      const server = await startAuthServer({ database: opened.database, prerendered: prerenderedHome() });

      const anonymous = await server.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(anonymous.body).toContain('THE PRERENDERED COPY');
      // Sign-in is on: no browser or CDN may hand this copy to a signed-in visitor either.
      expect(String(anonymous.headers.vary)).toMatch(/cookie/i);
      expect(anonymous.headers['cache-control']).toMatch(/^public/);
      // A cookie that names no session is nobody: the same copy, as the page cache would share it.
      const stale = await server.inject({
        url: '/',
        headers: { accept: 'text/html', cookie: '__Host-session=nothing' },
      });
      expect(stale.body).toContain('THE PRERENDERED COPY');

      const browser = new Browser(server);
      await browser.post('/signup', { email: 'ada@example.org', name: 'Ada Lovelace', password: STRONG_PASSWORD });
      const mine = await browser.get('/');
      expect(mine.body).toContain('Signed in as Ada Lovelace');
      expect(mine.body).not.toContain('THE PRERENDERED COPY');
      expect(mine.headers['cache-control']).toBe('private, no-store');
    },
  );

  it('says where a page came from in development, and reads none when told not to', async () => {
    const dir = prerenderedHome();
    const development = { ...PRODUCTION_ENV, NODE_ENV: 'development' };
    const { server } = await startTestServer({ prerendered: dir, baseEnv: development });
    const served = await server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(served.headers['x-cache']).toBe('PRERENDERED');
    expect(served.body).toContain('THE PRERENDERED COPY');
    const { server: without } = await startTestServer({ prerendered: false, baseEnv: development });
    const rendered = await without.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(rendered.headers['x-cache']).toBe('MISS');
    expect(rendered.body).not.toContain('THE PRERENDERED COPY');
  });

  it('pages built for another client build or PUBLIC_URL are not served, and the server says so', async () => {
    for (const build of [
      { ...BUILD, clientScript: '/assets/entry-old999.js' },
      { ...BUILD, publicUrl: 'https://staging.example.test' },
    ]) {
      let log = '';
      const logStream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          log += chunk.toString();
          done();
        },
      });
      const { server } = await startTestServer({
        prerendered: prerenderedHome(build),
        env: { LOG_LEVEL: 'error' },
        logStream,
      });
      const page = await server.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('THE PRERENDERED COPY');
      expect(page.body).toContain('<h1>Home');
      expect(log).toContain('they are not served');
      expect(log).toContain(build.clientScript);
    }
  });
});
