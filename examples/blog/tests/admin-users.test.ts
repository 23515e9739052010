/**
 * Admins change accounts' roles from /admin/users, on both database tiers: through
 * `fastify.auth.setRoles` (the account's sessions carry the new roles, the change is audited with
 * who made it), refused to non-admins (403), and never removing the blog's last admin (409).
 */
import { databaseTiers } from '@composable-svelte/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUser } from '../src/shared/admin.js';
import { adminBrowser, newEmail, rows, viewerId } from './support/admin-session.js';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { signUpBrowser, type BlogServer, type FormBrowser } from './support/form-browser.js';
import { TEST_ENV } from './support/test-env.js';

const ENV = {
  ...TEST_ENV,
  NODE_ENV: 'test',
  RATE_LIMIT_ENABLED: 'false',
  AUTH_LOGIN_IP_MAX: '1000',
} as const;

const rolesOf = async (browser: FormBrowser) =>
  JSON.parse(/"viewer":\{"id":\d+,"name":"[^"]*","roles":(\[[^\]]*\])/.exec((await browser.get('/')).body)![1]!);

describe.each(await databaseTiers())('roles on the $name database', (tier) => {
  let server: BlogServer;
  let blog: BlogOnTier | undefined;
  beforeAll(async () => {
    blog = await startBlogOnTier(tier, ENV);
    server = blog.server;
  }, 60_000);
  afterAll(() => blog?.close());

  it('the last admin cannot drop the role; with a second admin they can, and then the other is the last', async () => {
    const first = await adminBrowser(server, 'First Admin');
    const firstId = await viewerId(first);
    await first.get('/admin/users');
    const refused = await first.post('/admin/users', { userId: String(firstId), roles: ['author'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toMatch(/text\/html/);
    expect(refused.body).toContain('That would leave the blog without an admin');
    expect(await rolesOf(first)).toEqual(['admin']);

    const second = await adminBrowser(server, 'Second Admin');
    await first.get('/admin/users');
    const dropped = await first.post('/admin/users', { userId: String(firstId), roles: ['author'] });
    expect(dropped.statusCode).toBe(303);
    // Their own session was rotated with the new roles: this browser is no admin any more.
    expect(await rolesOf(first)).toEqual(['author']);
    expect((await first.get('/admin/users')).statusCode).toBe(403);

    const secondId = await viewerId(second);
    await second.get('/admin/users');
    expect((await second.post('/admin/users', { userId: String(secondId) })).statusCode).toBe(409);
    const json = await server.inject({
      method: 'POST',
      url: '/admin/users',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        cookie: second.cookieHeader(),
        'x-csrf-token': second.token,
      },
      payload: JSON.stringify({ userId: String(secondId), roles: [] }),
    });
    expect(json.statusCode).toBe(409);
    expect(json.json<{ error: { code: string } }>().error.code).toBe('CONFLICT');
  });

  it('an admin makes a reader an author: their session has the role at once, and the audit log says who', async () => {
    const admin = await adminBrowser(server);
    const email = newEmail('reader');
    const reader = await signUpBrowser(server, { name: 'Rita Reader', email });
    const readerId = await viewerId(reader);
    expect(await rolesOf(reader)).toEqual([]);

    const page = await admin.get('/admin/users');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(email);
    expect(page.body).toContain(`name="userId" value="${readerId}"`);
    const listed = await server.inject({
      url: '/api/admin/users',
      headers: { accept: 'application/json', cookie: admin.cookieHeader() },
    });
    expect(listed.json<{ users: AdminUser[] }>().users.find((user) => user.id === readerId)).toMatchObject({
      name: 'Rita Reader',
      email,
      roles: [],
    });

    const changed = await admin.post('/admin/users', { userId: String(readerId), roles: ['author', 'reader'] });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/admin/users');
    expect((await admin.get('/admin/users')).body).toContain('Roles changed: author, reader.');
    expect(await rolesOf(reader)).toEqual(['author', 'reader']);
    const audit = await rows<{ actor_id: number; details: unknown }>(
      server,
      sql`select actor_id, details from auth_audit_events where type = 'role.change' and user_id = ${readerId}`,
    );
    expect(audit).toEqual([{ actor_id: await viewerId(admin), details: { from: [], to: ['author', 'reader'] } }]);

    const bad = await admin.post('/admin/users', { userId: String(readerId), roles: ['owner'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('"owner" is not a role here');
    expect((await admin.post('/admin/users', { userId: '999999', roles: ['author'] })).statusCode).toBe(404);

    // A reader (now an author) may not hand out roles.
    await reader.get('/');
    expect((await reader.post('/admin/users', { userId: String(readerId), roles: ['admin'] })).statusCode).toBe(403);
    expect(await rolesOf(reader)).toEqual(['author', 'reader']);
  });
});
