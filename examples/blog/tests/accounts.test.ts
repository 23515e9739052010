/**
 * The blog's accounts, as a browser without JavaScript uses them: sign up, sign in (one message
 * for every failure), the viewer in the header, the account page (sessions, sign out everywhere,
 * password change), sign out — against the production build on its embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltApp } from './support/built-server.js';
import { FormBrowser, signUpBrowser } from './support/form-browser.js';
import { TEST_PASSWORD as PASSWORD } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'production',
  DATABASE_DIR: 'memory://',
} as const;

const FAILED = 'The e-mail address or password is incorrect.';

let server: BlogServer;

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
});
afterAll(async () => {
  await server.close();
});

const signUp = (email: string, name = 'Grace Hopper') => signUpBrowser(server, { name, email });

describe('accounts in the blog', () => {
  it('offers sign-in to everyone on cached pages, with no token in them', { timeout: 30_000 }, async () => {
    const home = await server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(home.statusCode, home.body.slice(0, 400)).toBe(200);
    expect(home.body).toContain('href="/login"');
    expect(home.body).toContain('href="/signup"');
    expect(home.body).not.toContain('_csrf');
    expect(home.headers['cache-control']).toMatch(/^public/);
    const login = await server.inject({ url: '/login', headers: { accept: 'text/html' } });
    expect(login.statusCode).toBe(200);
    expect(login.headers['cache-control']).toBe('private, no-store');
    expect(login.body).toMatch(/<form class="form" method="post" action="\/login">/);
    expect(login.body).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it('signs up, shows the viewer in the header, and signs out for good', { timeout: 30_000 }, async () => {
    const browser = await signUp('grace@example.org');
    const home = await browser.get('/');
    expect(home.body).toContain('Welcome, Grace Hopper. You are signed in.');
    expect(home.body).toContain('>Grace Hopper</a>');
    expect(home.body).toContain('action="/logout"');
    expect(home.headers['cache-control']).toBe('private, no-store');
    // The viewer is in the serialized state, for hydration; nothing secret is.
    expect(home.body).toMatch(/"viewer":\{"id":\d+,"name":"Grace Hopper","roles":\[\]\}/);
    expect(home.body).not.toContain(browser.cookies.get('__Host-session')!);

    const session = browser.cookies.get('__Host-session')!;
    const out = await browser.post('/logout', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/');
    const replay = await server.inject({
      url: '/account',
      headers: { accept: 'text/html', cookie: `__Host-session=${session}` },
    });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/login?next=%2Faccount');
  });

  it('answers every failed sign-in with one 401 page and one message', { timeout: 30_000 }, async () => {
    await signUp('ada@example.org', 'Ada');
    const browser = new FormBrowser(server);
    await browser.get('/login');
    const wrong = await browser.post('/login', { email: 'ada@example.org', password: 'not-her-password' });
    const unknown = await browser.post('/login', { email: 'nobody@example.org', password: 'not-her-password' });
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain(FAILED);
      expect(response.body).toMatch(/<h1[^>]*>Sign in<\/h1>/);
    }
    // The address is kept in the form, the password never is.
    expect(wrong.body).toContain('value="ada@example.org"');
    expect(wrong.body).not.toContain('not-her-password');
  });

  it('goes back to `next` after signing in, and only on this site', { timeout: 30_000 }, async () => {
    await signUp('lin@example.org', 'Lin');
    const browser = new FormBrowser(server);
    const form = await browser.get('/login?next=%2Fposts%2F2');
    expect(form.body).toContain('action="/login?next=%2Fposts%2F2"');
    const back = await browser.post('/login?next=%2Fposts%2F2', { email: 'lin@example.org', password: PASSWORD });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/posts/2');
    const other = new FormBrowser(server);
    await other.get('/login');
    const evil = await other.post('/login?next=%2F%2Fevil.example', { email: 'lin@example.org', password: PASSWORD });
    expect(evil.headers.location).toBe('/');
  });

  it('lists sessions on the account page and signs out everywhere', { timeout: 30_000 }, async () => {
    const laptop = await signUp('kay@example.org', 'Kay');
    const phone = new FormBrowser(server);
    await phone.get('/login');
    await phone.post('/login', { email: 'kay@example.org', password: PASSWORD });
    const page = await laptop.get('/account');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Signed in as <strong>Kay</strong>');
    const html = page.body.slice(0, page.body.indexOf('<script'));
    expect(html.match(/Firefox on Linux/g)).toHaveLength(2);
    expect(page.body).toContain('(this browser)');
    const everywhere = await laptop.post('/account/sign-out-everywhere', {});
    expect(everywhere.statusCode).toBe(303);
    expect(everywhere.headers.location).toBe('/login');
    expect((await laptop.get('/login')).body).toContain('You are signed out on every device.');
    expect((await phone.get('/account')).statusCode).toBe(303);
  });

  it('changes the password from the account page, refusing a wrong current one', { timeout: 30_000 }, async () => {
    const browser = await signUp('edsger@example.org', 'Edsger');
    await browser.get('/account');
    const wrong = await browser.post('/account', {
      currentPassword: 'nope-nope-nope',
      newPassword: 'amber-falcon-river-73',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The current password is incorrect.');
    expect(wrong.body).toMatch(/<h1[^>]*>Your account<\/h1>/);
    const changed = await browser.post('/account', { currentPassword: PASSWORD, newPassword: 'amber-falcon-river-73' });
    expect(changed.statusCode).toBe(303);
    expect((await browser.get('/account')).body).toContain('Your password is changed.');
    const again = new FormBrowser(server);
    await again.get('/login');
    expect(
      (await again.post('/login', { email: 'edsger@example.org', password: 'amber-falcon-river-73' })).statusCode,
    ).toBe(303);
  });

  it('refuses a weak password at sign-up, keeping what was typed', { timeout: 30_000 }, async () => {
    const browser = new FormBrowser(server);
    await browser.get('/signup');
    const weak = await browser.post('/signup', {
      name: 'Barbara',
      email: 'barbara@example.org',
      password: 'password1',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('too easy to guess');
    expect(weak.body).toContain('value="barbara@example.org"');
    expect(weak.body).toContain('value="Barbara"');
  });
});
