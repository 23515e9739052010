/**
 * API keys on the account page, as a browser without JavaScript uses it: the list (name, visible
 * prefix, scopes, last used), the create form whose answer shows the key once (never stored in
 * plain text, never shown again), the key as a Bearer credential, and revoke buttons; on both
 * database tiers.
 */
import { apiKeys } from '@composable-svelte/server/auth';
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { signUpBrowser, type BlogServer } from './support/form-browser.js';
import { TEST_ENV } from './support/test-env.js';

const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'production',
} as const;
const KEY_PATTERN = /<output class="api-key" data-api-key="">([^<]+)<\/output>/;

let server: BlogServer;

let accounts = 0;
const signedIn = () => signUpBrowser(server, { name: 'Grace', email: `keys-${++accounts}@example.org` });

const comment = (authorization: string) =>
  server.inject({
    method: 'POST',
    url: '/api/posts/2/comments',
    headers: { 'content-type': 'application/json', authorization },
    payload: { body: 'From a script.' },
  });

describe.each(await databaseTiers())('API keys on the account page, on the $name database', (tier) => {
  let blog: BlogOnTier | undefined;
  beforeAll(async () => {
    blog = await startBlogOnTier(tier, ENV);
    server = blog.server;
  }, 60_000);
  afterAll(() => blog?.close());

  it('creates a key shown once, lists it without its secret, and revokes it', { timeout: 30_000 }, async () => {
    const browser = await signedIn();
    const empty = await browser.get('/account');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('You have no API keys.');
    expect(empty.body).toMatch(/<form class="form" method="post" action="\/account\/keys">/);
    expect(empty.body).toMatch(/name="scopes" value="read"[^>]*checked/);

    const created = await browser.post('/account/keys', { name: 'deploy script', scopes: ['read', 'write'] });
    expect(created.statusCode, created.body.slice(0, 500)).toBe(201);
    expect(created.headers['cache-control']).toContain('no-store');
    const key = KEY_PATTERN.exec(created.body)?.[1];
    expect(key).toMatch(/^cs_live_[a-z0-9]{16}_\S+$/);
    expect(created.body).toContain('it is shown only this once');

    // Not stored in plain text: no column of its row holds the key or its secret.
    const secret = key!.split('_').at(-1)!;
    const stored = JSON.stringify(await server.database!.db.select().from(apiKeys));
    expect(stored).toContain('deploy script');
    expect(stored).not.toContain(secret);

    expect((await comment(`Bearer ${key}`)).statusCode).toBe(201);

    const listed = await browser.get('/account');
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain('data-api-key');
    const prefix = key!.slice(0, key!.lastIndexOf('_'));
    expect(listed.body).toContain(`<code>${prefix}…</code>`);
    expect(listed.body).toContain('<td>read write</td>');
    expect(listed.body).toContain('<td>deploy script</td>');
    // Used once above: a date, not "never".
    expect(listed.body).toMatch(/<td>(<!--[^>]*-->)?<time datetime="\d{4}-[^"]+">/);

    const id = prefix.slice('cs_live_'.length);
    expect(listed.body).toContain(`action="/account/keys/${id}/revoke"`);
    const revoked = await browser.post(`/account/keys/${id}/revoke`, {});
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/account');
    const after = await browser.get('/account');
    expect(after.body).toContain('The API key is revoked: it no longer works.');
    expect(after.body).toContain('You have no API keys.');
    const refused = await comment(`Bearer ${key}`);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('refuses a bad form with the page again and why, and a form without its CSRF token', async () => {
    const browser = await signedIn();
    await browser.get('/account');
    const noScope = await browser.post('/account/keys', { name: 'nothing' });
    expect(noScope.statusCode).toBe(400);
    expect(noScope.body).toContain('Choose at least one scope for the key.');
    expect(noScope.body).toContain('value="nothing"');
    expect(noScope.body).not.toContain('data-api-key');

    const wideScope = await browser.post('/account/keys', { name: 'too wide', scopes: 'admin' });
    expect(wideScope.statusCode).toBe(400);
    expect(wideScope.body).toContain('scope not allowed: admin');

    const noName = await browser.post('/account/keys', { name: '   ', scopes: 'read' });
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toContain('name must be 1 to 100 printable characters');

    browser.token = 'forged';
    const forged = await browser.post('/account/keys', { name: 'forged', scopes: 'read' });
    expect(forged.statusCode).toBe(403);
    const list = await server.inject({ url: '/api/account/keys', headers: { cookie: browser.cookieHeader() } });
    expect(list.json()).toMatchObject({ keys: [], scopes: ['read', 'write'] });
  });

  it('revokes only the account own keys, and needs a sign-in', async () => {
    const owner = await signedIn();
    await owner.get('/account');
    const key = KEY_PATTERN.exec((await owner.post('/account/keys', { name: 'mine', scopes: 'read' })).body)![1]!;
    const id = key.slice('cs_live_'.length, key.lastIndexOf('_'));

    const other = await signedIn();
    await other.get('/account');
    expect((await other.post(`/account/keys/${id}/revoke`, {})).statusCode).toBe(404);
    expect((await comment(`Bearer ${key}`)).statusCode).toBe(201);

    const anonymous = await server.inject({ url: '/api/account/keys' });
    expect(anonymous.statusCode).toBe(401);
    const page = await server.inject({ url: '/account/keys', headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Faccount%2Fkeys');
  });
});
