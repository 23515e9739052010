/**
 * The blog's accounts, as a browser without JavaScript uses them: sign up, sign in (one message
 * for every failure), the viewer in the header, the account page (sessions, sign out everywhere,
 * password change), sign out — against the production build on its embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltApp } from './support/built-server.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const ENV = {
  NODE_ENV: 'production',
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  // OWASP's minimum cost: these tests hash many passwords.
  AUTH_ARGON2_MEMORY_KIB: '19456',
  AUTH_ARGON2_TIME_COST: '2',
  // Not what these tests check, and a machine busy with other suites would trip it.
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
} as const;

const PASSWORD = 'quiet-harbour-lantern-58';
const FAILED = 'The e-mail address or password is incorrect.';

let server: BlogServer;

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
});
afterAll(async () => {
  await server.close();
});

/** A browser without JavaScript: cookies, and the CSRF token of the last form page it loaded. */
class Browser {
  readonly cookies = new Map<string, string>();
  token = '';

  private keep(setCookie: string | string[] | number | undefined) {
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [String(setCookie)]) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string) {
    const response = await server.inject({ url, headers: { accept: 'text/html', cookie: this.cookieHeader() } });
    this.keep(response.headers['set-cookie']);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.token = token;
    return response;
  }

  async post(url: string, form: Record<string, string>) {
    const response = await server.inject({
      method: 'POST',
      url,
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      },
      payload: new URLSearchParams({ ...form, _csrf: this.token }).toString(),
    });
    this.keep(response.headers['set-cookie']);
    return response;
  }
}

async function signUp(email: string, name = 'Grace Hopper') {
  const browser = new Browser();
  await browser.get('/signup');
  const response = await browser.post('/signup', { name, email, password: PASSWORD });
  expect(response.statusCode).toBe(303);
  return browser;
}

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
    const browser = new Browser();
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
    const browser = new Browser();
    const form = await browser.get('/login?next=%2Fposts%2F2');
    expect(form.body).toContain('action="/login?next=%2Fposts%2F2"');
    const back = await browser.post('/login?next=%2Fposts%2F2', { email: 'lin@example.org', password: PASSWORD });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe('/posts/2');
    const other = new Browser();
    await other.get('/login');
    const evil = await other.post('/login?next=%2F%2Fevil.example', { email: 'lin@example.org', password: PASSWORD });
    expect(evil.headers.location).toBe('/');
  });

  it('lists sessions on the account page and signs out everywhere', { timeout: 30_000 }, async () => {
    const laptop = await signUp('kay@example.org', 'Kay');
    const phone = new Browser();
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
    const again = new Browser();
    await again.get('/login');
    expect(
      (await again.post('/login', { email: 'edsger@example.org', password: 'amber-falcon-river-73' })).statusCode,
    ).toBe(303);
  });

  it('refuses a weak password at sign-up, keeping what was typed', { timeout: 30_000 }, async () => {
    const browser = new Browser();
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
