/**
 * The full template (notes: database, accounts, live, jobs), generated and used the way its README
 * says: its tests and type check pass, its configuration reference is current, `npm start`
 * migrates the embedded database and serves it, a note saved by a signed-up user gets its words
 * counted by the background job, and a bad environment stops it with every problem listed.
 */
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { node, npm, npmStart, read, runCli, scratchDir } from './support/generated-app.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const app = join(scratch.dir, 'notes-app');
const CORE_PACKAGE = fileURLToPath(new URL('../../core', import.meta.url));

/** A browser without JavaScript: cookies kept, the form's CSRF token read from the page. */
function formBrowser(base: string) {
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      cookies.set(name!, value ?? '');
    }
    return response;
  };
  const cookie = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    get: async (path: string) =>
      remember(await fetch(base + path, { headers: { cookie: cookie() }, redirect: 'manual' })),
    async post(path: string, formPath: string, fields: Record<string, string>) {
      const form = await (await this.get(formPath)).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
      return remember(
        await fetch(base + path, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: cookie(), origin: base, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: token, ...fields }),
        }),
      );
    },
  };
}

describe('an app from the full template', () => {
  it('is generated with its migrations and links to the local packages', () => {
    const created = runCli(['notes-app', '--template', 'full', '--yes'], scratch.dir);
    expect(created.status, created.stderr).toBe(0);
    const manifest = JSON.parse(read(join(app, 'package.json')));
    expect(manifest.dependencies['@composable-svelte/core']).toBe(`file:${relative(app, CORE_PACKAGE)}`);
    expect(manifest.dependencies['drizzle-orm']).toBeDefined();
    expect(read(join(app, 'drizzle/meta/_journal.json'))).toContain('notes_and_accounts');
  });

  it('passes its own tests and type check', () => {
    const tested = npm(['test'], app);
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/Tests\s+5 passed/);
    const typed = npm(['run', 'typecheck'], app);
    expect(typed.status, typed.stdout + typed.stderr).toBe(0);
  });

  it('ships a configuration reference that `npm run docs:config` reproduces', () => {
    const before = [read(join(app, 'docs/configuration.md')), read(join(app, '.env.example'))];
    const documented = npm(['run', 'docs:config'], app);
    expect(documented.status, documented.stderr).toBe(0);
    expect([read(join(app, 'docs/configuration.md')), read(join(app, '.env.example'))]).toEqual(before);
    expect(before[0]).toContain('| `NOTE_MAX_LENGTH` | integer 1–100000 | `2000` |');
  });

  it('builds and serves: sign up, save a note, the job counts its words', async () => {
    const server = await npmStart(app, { NOTE_MAX_LENGTH: '40' }, 150_000);
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const browser = formBrowser(server.url);
      const anonymous = await browser.get('/');
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.get('location')).toBe('/login?next=%2F');

      const fields = { name: 'Ada', email: 'ada@example.com', password: 'correct horse battery staple 42' };
      const signedUp = await browser.post('/signup', '/signup', fields);
      expect(signedUp.status).toBe(303);
      const saved = await browser.post('/', '/', { body: 'three little words' });
      expect(saved.status).toBe(303);
      // NOTE_MAX_LENGTH, the app's own variable, reaches the handler.
      const tooLong = await browser.post('/', '/', { body: 'x'.repeat(41) });
      expect(tooLong.status).toBe(400);
      expect(await tooLong.text()).toContain('Please keep a note to 40 characters or fewer.');

      let notes: { body: string; words: number | null }[] = [];
      for (const started = Date.now(); Date.now() - started < 30_000;) {
        notes = (await (await browser.get('/api/notes')).json()).notes;
        if (notes[0]?.words !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(notes).toMatchObject([{ body: 'three little words', words: 3 }]);
      expect(await (await browser.get('/')).text()).toContain('three little words');
    } finally {
      await server.stop();
    }
  });

  it('refuses a bad environment with every problem at once, the app’s and the server’s, secrets hidden', () => {
    const password = 's3cret-db-password';
    const started = node(['dist/server/entry.js'], app, {
      NODE_ENV: 'production',
      NOTE_MAX_LENGTH: 'lots',
      DATABASE_URL: `mysql://notes:${password}@db.internal/notes`,
    });
    expect(started.status).toBe(1);
    expect(started.stderr).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(started.stderr).toContain('SESSION_SECRET: required in production');
    expect(started.stderr).toContain('NOTE_MAX_LENGTH: must be an integer from 1 to 100000; got "lots"');
    expect(started.stderr).not.toContain(password);
  });
});
