/**
 * Password reset and e-mail verification in the blog, without JavaScript: sign-up mails a
 * verification link; "Forgot your password?" mails a reset link (the .eml file in MAIL_DIR holds
 * it); the link sets a new password once; every old session and token sign-in is then gone. On both
 * database tiers.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { FormBrowser, signUpBrowser, type BlogServer } from './support/form-browser.js';
import { TEST_PASSWORD as PASSWORD } from './support/sessions.js';
import { TEST_ENV } from './support/test-env.js';

const PUBLIC_URL = 'https://blog.example.com';
const NEW_PASSWORD = 'copper-meadow-violin-73';

const ENV = { ...TEST_ENV, NODE_ENV: 'production', PUBLIC_URL };

let server: BlogServer;
/** Each tier's own: a mail from the other tier's run would carry a link this database never issued. */
let mailDir: string;

/** The link of `path` in the newest mail to `to`, waiting for the background send; .eml bodies may be quoted-printable. */
async function linkInMail(to: string, path: string): Promise<string> {
  const pattern = new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}${path}\\?token=[\\w-]+`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const files = (await readdir(mailDir)).filter((name) => name.endsWith('.eml')).sort();
    for (const file of files.reverse()) {
      const raw = await readFile(join(mailDir, file), 'utf8');
      const text = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!new RegExp(`^To: .*${to}`, 'mi').test(text)) continue;
      const found = pattern.exec(text)?.[0];
      if (found) return found.slice(PUBLIC_URL.length);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${to} with a ${path} link in ${mailDir}`);
}

const signUp = (email: string) => signUpBrowser(server, { name: 'Grace', email });

describe.each(await databaseTiers())('account recovery in the blog, on the $name database', (tier) => {
  let blog: BlogOnTier | undefined;
  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'blog-mail-'));
    blog = await startBlogOnTier(tier, { ...ENV, MAIL_DIR: mailDir });
    server = blog.server;
  }, 60_000);
  afterAll(async () => {
    await blog?.close();
    await rm(mailDir, { recursive: true, force: true });
  });

  it('mails a verification link at sign-up, which verifies the address once', { timeout: 30_000 }, async () => {
    const browser = await signUp('verify@example.org');
    expect((await browser.get('/')).body).toContain('We sent you a link to confirm your e-mail address.');
    const link = await linkInMail('verify@example.org', '/verify-email');
    const verified = await browser.get(link);
    expect(verified.statusCode).toBe(303);
    // The page it lands on says so, once.
    expect((await browser.get(verified.headers.location as string)).body).toContain('Your e-mail address is verified.');
    expect((await browser.get('/')).body).not.toContain('Your e-mail address is verified.');
    const again = await browser.get(link);
    expect(again.statusCode).toBe(400);
  });

  it('resets a forgotten password once, and every old sign-in is gone', { timeout: 60_000 }, async () => {
    const email = 'reset@example.org';
    const first = await signUp(email);
    const second = new FormBrowser(server);
    await second.get('/login');
    expect((await second.post('/login', { email, password: PASSWORD })).statusCode).toBe(303);
    const tokens = await server.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { email, password: PASSWORD },
    });
    expect(tokens.statusCode).toBe(200);

    const stranger = new FormBrowser(server);
    const login = await stranger.get('/login');
    expect(login.body).toContain('<a href="/password/forgot">Forgot your password?</a>');
    const forgot = await stranger.get('/password/forgot');
    expect(forgot.statusCode).toBe(200);
    expect(forgot.body).toMatch(/<form class="form" method="post" action="\/password\/forgot">/);
    // The same answer for an address with no account.
    const unknown = await stranger.post('/password/forgot', { email: 'nobody@example.org' });
    const asked = await stranger.post('/password/forgot', { email });
    for (const response of [unknown, asked]) {
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe('/login?reset=sent');
    }
    expect((await stranger.get('/login?reset=sent')).body).toContain('a link to reset its password is on its way');

    const link = await linkInMail(email, '/password/reset');
    const token = new URL(link, PUBLIC_URL).searchParams.get('token')!;
    const page = await stranger.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // The blog's own page, in its layout, whose form keeps the link's token.
    const action = `/password/reset?token=${encodeURIComponent(token)}`;
    expect(page.body).toContain('<h1 tabindex="-1">Choose a new password</h1>');
    expect(page.body).toContain('class="site-header"');
    expect(page.body).toContain(`action="${action.replaceAll('&', '&amp;')}"`);
    expect(page.body).toContain(`name="token" value="${token}"`);
    expect(page.body).toContain('name="password"');

    // A weak password is refused with why, on the same page, and the link still works.
    const weak = await stranger.post(action, { token, password: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.headers['cache-control']).toMatch(/\bno-store\b/);
    expect(weak.body).toContain('<h1 tabindex="-1">Choose a new password</h1>');
    expect(weak.body).toMatch(/<p class="status status-error" role="alert">[^<]+<\/p>/);
    expect(weak.body).toContain(`name="token" value="${token}"`);
    const reset = await stranger.post(action, { token, password: NEW_PASSWORD });
    expect(reset.statusCode, reset.body).toBe(303);
    expect(reset.headers.location).toBe('/login?reset=done');
    expect((await stranger.get('/login?reset=done')).body).toContain('Your password is changed');
    const replayed = await stranger.post('/password/reset', { token, password: 'another-long-passphrase-91' });
    expect(replayed.statusCode).toBe(400);
    expect((await stranger.get(link)).statusCode).toBe(400);

    for (const old of [first, second]) {
      const account = await old.get('/account');
      expect(account.statusCode).toBe(303);
      expect(account.headers.location).toBe('/login?next=%2Faccount');
    }
    const refresh = await server.inject({
      method: 'POST',
      url: '/api/auth/refresh',
      payload: { refresh_token: tokens.json<{ refresh_token: string }>().refresh_token },
    });
    expect(refresh.statusCode).toBe(401);

    const again = new FormBrowser(server);
    await again.get('/login');
    expect((await again.post('/login', { email, password: PASSWORD })).statusCode).toBe(401);
    expect((await again.post('/login', { email, password: NEW_PASSWORD })).statusCode).toBe(303);
  });
});
