/**
 * The minimal template, generated and used the way its README says: its own tests and type check
 * pass, its configuration reference is current, `npm start` builds and serves it, a bad
 * environment stops it with the app's and the server's problems in one list, and `npm run dev`
 * serves it from the sources with edits applied on the next request.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { node, npm, npmDev, npmStart, read, runCli, scratchDir } from './support/generated-app.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const app = join(scratch.dir, 'hello-app');
const SERVER_PACKAGE = fileURLToPath(new URL('../../server', import.meta.url));

describe('an app from the minimal template', () => {
  it('is generated with links to the local packages', () => {
    const created = runCli(['hello-app', '--template', 'minimal'], scratch.dir);
    expect(created.status, created.stderr).toBe(0);
    const manifest = JSON.parse(read(join(app, 'package.json')));
    expect(manifest.dependencies['@composable-svelte/server']).toBe(`file:${relative(app, SERVER_PACKAGE)}`);
    expect(read(join(app, 'README.md'))).toContain('# hello-app');
  });

  it('passes its own tests and type check (the env schema types config.app)', () => {
    const tested = npm(['test'], app);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/Tests\s+4 passed/);
    const typed = npm(['run', 'typecheck'], app);
    expect(typed.status, typed.stdout + typed.stderr).toBe(0);
  });

  it('ships a configuration reference that `npm run docs:config` reproduces', () => {
    const before = [read(join(app, 'docs/configuration.md')), read(join(app, '.env.example'))];
    const documented = npm(['run', 'docs:config'], app);
    expect(documented.status, documented.stderr).toBe(0);
    expect([read(join(app, 'docs/configuration.md')), read(join(app, '.env.example'))]).toEqual(before);
    expect(before[0]).toContain('| `GREETING` | string | `Hello from hello-app` |');
  });

  it('builds and serves: /health answers, the page renders the fact its effect loaded', async () => {
    const server = await npmStart(app, {}, 120_000);
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const page = await fetch(server.url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<h1>Hello from hello-app</h1>');
      expect(html).toContain('0 is even and the square of 0.');
      expect((await fetch(`${server.url}/api/facts/7`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/facts/seven`)).status).toBe(400);
    } finally {
      await server.stop();
    }
  });

  it('refuses a bad environment with every problem at once, the app’s and the server’s, secrets hidden', () => {
    const secret = 'hunter2-not-long-enough';
    const started = node(['dist/server/entry.js'], app, {
      NODE_ENV: 'production',
      PORT: 'eighty',
      SESSION_SECRET: secret,
      GREETING: 'x'.repeat(201),
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toContain('PORT: must be an integer from 0 to 65535; got "eighty"');
    expect(started.stderr).toContain('SESSION_SECRET: must be at least 32 characters; got a value of 23 characters');
    expect(started.stderr).toContain('GREETING: must be 1 to 200 characters');
    expect(started.stderr).not.toContain(secret);
  });

  it('`npm run dev` serves the page through Vite and shows an edited module on the next request, without a restart', async () => {
    const dev = await npmDev(app, 120_000);
    const facts = join(app, 'src/shared/facts.ts');
    const original = readFileSync(facts, 'utf8');
    try {
      const page = await fetch(dev.url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<h1>Hello from hello-app</h1>');
      expect(html).toContain('0 is even and the square of 0.');
      // The page's scripts come from Vite (its HMR client, the entry unbundled), not from a build.
      expect(html).toContain('/@vite/client');
      expect(html).toContain('/src/client/entry.ts');

      writeFileSync(facts, original.replace(`'even'`, `'EVEN'`));
      // No waiting: the dev server compares the files it was built from with the disk on each
      // request, so the first request after the save is served from it.
      const latest = await fetch(dev.url).then((response) => response.text());
      expect(latest, `the dev server said:\n${dev.output()}`).toContain('0 is EVEN and the square of 0.');
    } finally {
      writeFileSync(facts, original);
      await dev.stop();
    }
  });
});
