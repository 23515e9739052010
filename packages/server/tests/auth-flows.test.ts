/**
 * Accounts and sessions end to end, on both database tiers: sign-up, sign-in, sign-out, fixation,
 * cookie flags, the shared page cache, enumeration, limits and guards, through a small app.
 */
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseTiers, type Tier } from '@composable-svelte/testing';
import { auditEvents, users } from '../src/auth/schema.js';
import { hashPassword, verifyPassword } from '../src/auth/password.js';
import { sessionIdOf } from '../src/auth/session-token.js';
import { Browser, startAuthServer, STRONG_PASSWORD } from './support/auth-server.js';
import { closeTestServers, PRODUCTION_ENV } from './support/test-server.js';

closeTestServers();

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(disposers.splice(0).map((dispose) => dispose()));
});

async function fresh(tier: Tier) {
  const opened = await tier.fresh();
  disposers.push(opened.dispose);
  return opened.database;
}

const ADA = { email: 'Ada@Example.org', name: 'Ada Lovelace', password: STRONG_PASSWORD };

function setCookieLines(header: string | string[] | number | undefined): string[] {
  return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
}

const sessionCookieOf = (lines: string[], name = '__Host-session') =>
  lines.find((line) => line.startsWith(`${name}=`) && !line.startsWith(`${name}=;`));

describe.each(await databaseTiers())('accounts and sessions on $name', (tier) => {
  it(
    'signs up, is signed in with a __Host- cookie over https, and signs out for good',
    { timeout: 60_000 },
    async () => {
      const database = await fresh(tier);
      const server = await startAuthServer({ database });
      const browser = new Browser(server);

      const signup = await browser.post('/signup', ADA);
      expect(signup.statusCode).toBe(303);
      const cookie = sessionCookieOf(setCookieLines(signup.headers['set-cookie']));
      expect(cookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/Domain=/i);
      expect(signup.headers['cache-control']).toBe('private, no-store');

      const me = await browser.get('/api/me');
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ name: 'Ada Lovelace', roles: [] });

      // The token is in the cookie only: the database holds its SHA-256.
      const token = browser.jar.cookies.get('__Host-session')!;
      const rows = (await database.db.execute(sql`select * from auth_sessions`)) as unknown as { rows: unknown[] };
      expect(JSON.stringify(rows.rows)).not.toContain(token);
      expect(JSON.stringify(rows.rows)).toContain(sessionIdOf(token));

      const logout = await browser.post('/logout', {});
      expect(logout.statusCode).toBe(303);
      expect(setCookieLines(logout.headers['set-cookie']).some((line) => line.startsWith('__Host-session=;'))).toBe(
        true,
      );
      // The old cookie, replayed, no longer works: the session is gone server-side.
      const replay = await server.inject({ url: '/api/me', headers: { cookie: `__Host-session=${token}` } });
      expect(replay.statusCode).toBe(401);
      const [logoutEvent] = await database.db.select().from(auditEvents).where(eq(auditEvents.type, 'logout'));
      expect(logoutEvent?.userId).toBe((me.json() as { id: number }).id);
    },
  );

  it('uses the documented unprefixed cookie, not Secure, on plain-HTTP localhost', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({
      database,
      baseEnv: { NODE_ENV: 'development', LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' },
    });
    const signup = await new Browser(server).post('/signup', ADA);
    expect(signup.statusCode).toBe(303);
    const cookie = sessionCookieOf(setCookieLines(signup.headers['set-cookie']), 'session');
    expect(cookie).toMatch(/^session=[A-Za-z0-9_-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it(
    'gives a new session id at sign-in, whatever id the browser arrived with (no fixation)',
    { timeout: 60_000 },
    async () => {
      const database = await fresh(tier);
      const server = await startAuthServer({ database });
      await new Browser(server).post('/signup', ADA);

      const browser = new Browser(server);
      const planted = 'A'.repeat(43);
      browser.jar.cookies.set('__Host-session', planted);
      expect((await browser.post('/login', { email: ADA.email, password: ADA.password })).statusCode).toBe(303);
      const first = browser.jar.cookies.get('__Host-session')!;
      expect(first).not.toBe(planted);

      // Signing in again from a signed-in browser ends the old session too.
      expect((await browser.post('/login', { email: 'ada@example.org', password: ADA.password })).statusCode).toBe(303);
      const second = browser.jar.cookies.get('__Host-session')!;
      expect(second).not.toBe(first);
      const old = await server.inject({ url: '/api/me', headers: { cookie: `__Host-session=${first}` } });
      expect(old.statusCode).toBe(401);
      expect((await browser.get('/api/me')).statusCode).toBe(200);
    },
  );

  it('never lets a signed-in page into the shared page cache', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    // Development, for the x-cache header; https, so the cookie is the production one.
    const server = await startAuthServer({
      database,
      baseEnv: { ...PRODUCTION_ENV, NODE_ENV: 'development' },
      env: { CACHE_TTL_MS: '60000' },
    });
    const anonymous = () => server.inject({ url: '/', headers: { accept: 'text/html' } });
    expect((await anonymous()).headers['x-cache']).toBe('MISS');

    const browser = new Browser(server);
    await browser.post('/signup', ADA);
    const token = browser.jar.cookies.get('__Host-session')!;
    const mine = await browser.get('/');
    expect(mine.body).toContain('Signed in as Ada Lovelace');
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.headers['x-cache']).toBeUndefined();
    expect(String(mine.headers.vary)).toMatch(/cookie/i);

    for (const response of [await anonymous(), await anonymous()]) {
      expect(response.headers['x-cache']).toBe('HIT');
      expect(response.body).toContain('Anonymous visitor');
      expect(response.body).not.toContain('Ada');
      expect(response.body).not.toContain(token);
      expect(response.headers['cache-control']).toMatch(/^public/);
    }
  });

  it('shows a flash message once, on the page the form redirected to', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const browser = new Browser(server);
    await browser.post('/signup', ADA);
    await browser.post('/logout', {});
    const login = await browser.post('/login', { email: ADA.email, password: ADA.password, next: '/account' });
    expect(login.headers.location).toBe('/account');
    expect((await browser.get('/account')).body).toContain('Welcome back.');
    expect((await browser.get('/account')).body).not.toContain('Welcome back.');
  });

  it('answers an unknown address and a wrong password the same way', { timeout: 120_000 }, async () => {
    const database = await fresh(tier);
    // The production Argon2id cost: the dummy verification must cost what a real one does.
    const server = await startAuthServer({
      database,
      env: {
        AUTH_ARGON2_MEMORY_KIB: '65536',
        AUTH_ARGON2_TIME_COST: '4',
        AUTH_LOGIN_FREE_FAILURES: '1000',
        AUTH_LOGIN_IP_MAX: '1000',
      },
    });
    const browser = new Browser(server);
    await browser.post('/signup', ADA);
    await browser.post('/logout', {});

    const attempt = async (email: string) => {
      const started = performance.now();
      const response = await browser.post('/login', { email, password: 'not-the-password-at-all' });
      return { response, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    const bodies = new Set<string>();
    for (let round = 0; round < 7; round++) {
      const a = await attempt(ADA.email);
      const b = await attempt(`nobody-${round}@example.org`);
      for (const { response } of [a, b]) {
        expect(response.statusCode).toBe(401);
        bodies.add(response.body);
      }
      known.push(a.ms);
      unknown.push(b.ms);
    }
    expect([...bodies]).toEqual(['<p>The e-mail address or password is incorrect.</p>']);
    const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    // Without the dummy verification the unknown address would answer in a fraction of the time.
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
    const failures = await database.db.select().from(auditEvents).where(eq(auditEvents.type, 'login.failure'));
    expect(failures).toHaveLength(14);
  });

  it('backs off per account (known or not) and limits per address, never for good', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database, env: { AUTH_LOGIN_FREE_FAILURES: '3' } });
    const browser = new Browser(server);
    await browser.post('/signup', ADA);
    await browser.post('/logout', {});
    for (const email of [ADA.email, 'ghost@example.org']) {
      for (let failure = 0; failure < 3; failure++)
        expect((await browser.post('/login', { email, password: 'wrong-password-123' })).statusCode).toBe(401);
      const blocked = await browser.post('/login', { email, password: ADA.password });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // The back-off is a wait, not a lock: once it passes, the right password works.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await browser.post('/login', { email: ADA.email, password: ADA.password })).statusCode).toBe(303);

    const limited = await startAuthServer({ database, env: { AUTH_LOGIN_IP_MAX: '2' } });
    const other = new Browser(limited);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++)
      statuses.push(
        (await other.post('/login', { email: `x${attempt}@example.org`, password: 'whatever-1234' })).statusCode,
      );
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('keeps no typed address in the audit trail or the back-off table', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database, env: { AUTH_LOGIN_FREE_FAILURES: '2' } });
    const browser = new Browser(server);
    await browser.post('/signup', ADA);
    await browser.post('/logout', {});
    // People type passwords into the e-mail field; whatever was typed there must not be stored.
    const typed = ['Mistyped-Secret-Pass@example.org', ' mistyped-secret-pass@EXAMPLE.org', ADA.email];
    for (const email of [...typed, typed[0]!]) await browser.post('/login', { email, password: 'wrong-password-123' });

    const stored = JSON.stringify([
      await database.db.select().from(auditEvents),
      (await database.db.execute(sql`select * from auth_login_attempts`)) as unknown,
    ]).toLowerCase();
    expect(stored).not.toContain('mistyped-secret-pass');
    expect(stored).not.toContain(ADA.email.toLowerCase());

    const failures = await database.db
      .select({ userId: auditEvents.userId, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.type, 'login.failure'))
      .orderBy(auditEvents.id);
    const accounts = failures.map((row) => (row.details as { account: string }).account);
    // One pseudonym per address whatever its case and spacing, so attempts on one address still add up.
    expect(accounts[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(accounts[1]).toBe(accounts[0]);
    expect(accounts[2]).not.toBe(accounts[0]);
    const throttled = await database.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.type, 'login.throttled'));
    expect(throttled).toEqual([{ details: { scope: 'account', account: accounts[0] } }]);
    expect(failures.map((row) => row.userId)).toEqual([null, null, expect.any(Number)]);
  });

  it(
    'refuses anonymous and unprivileged requests with the right answer for each client',
    { timeout: 60_000 },
    async () => {
      const database = await fresh(tier);
      const server = await startAuthServer({ database, bearerRealm: 'example.test' });
      const api = await server.inject({ url: '/api/me' });
      expect(api.statusCode).toBe(401);
      expect(api.headers['www-authenticate']).toBe('Bearer realm="example.test"');
      expect(api.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });

      const page = await server.inject({ url: '/account?tab=sessions', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2Faccount%3Ftab%3Dsessions');

      const anonymous = new Browser(server);
      const form = await anonymous.post('/notes', { body: 'hi' }, { referer: 'https://example.test/posts/3?x=1' });
      expect(form.statusCode).toBe(303);
      expect(form.headers.location).toBe('/login?next=%2Fposts%2F3%3Fx%3D1');
      const foreign = await anonymous.post('/notes', { body: 'hi' }, { referer: 'https://evil.example/phish' });
      expect(foreign.headers.location).toBe('/login?next=%2F');

      const browser = new Browser(server);
      await browser.post('/signup', ADA);
      expect((await browser.get('/api/admin')).statusCode).toBe(403);
      expect((await browser.get('/admin', { accept: 'text/html' })).statusCode).toBe(403);
      // A session may do whatever its viewer may: scopes bind tokens and keys, not sessions.
      expect((await browser.get('/api/scoped')).statusCode).toBe(200);
      expect((await browser.get('/account')).statusCode).toBe(200);

      // Roles change: the cached session is refreshed at once.
      const me = (await browser.get('/api/me')).json() as { id: number };
      await database.db
        .update(users)
        .set({ roles: ['admin'] })
        .where(eq(users.id, me.id));
      await server.auth!.sessions.refreshUser(me.id);
      expect((await browser.get('/api/admin')).statusCode).toBe(200);
      expect((await browser.get('/admin')).statusCode).toBe(200);
    },
  );

  it('lists sessions by device, and signing out everywhere ends them all', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const laptop = new Browser(server);
    await laptop.post('/signup', ADA);
    const phone = new Browser(
      server,
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    );
    await phone.post('/login', { email: ADA.email, password: ADA.password });
    const list = (await laptop.get('/api/sessions')).json() as { device: string; current: boolean; id: string }[];
    expect(list.map((session) => [session.device, session.current]).sort()).toEqual([
      ['Firefox on Linux', true],
      ['Safari on iPhone', false],
    ]);
    // The id listed is the stored hash, never a token.
    expect(list.every((session) => /^[0-9a-f]{64}$/.test(session.id))).toBe(true);

    expect((await phone.post('/account/sign-out-everywhere', {})).statusCode).toBe(303);
    expect((await laptop.get('/api/me')).statusCode).toBe(401);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
  });

  it('ends one other device from the session list, and only one of its own', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const laptop = new Browser(server);
    await laptop.post('/signup', ADA);
    const phone = new Browser(server);
    await phone.post('/login', { email: ADA.email, password: ADA.password });
    const stranger = new Browser(server);
    await stranger.post('/signup', { ...ADA, email: 'eve@example.org', name: 'Eve' });

    const list = (await laptop.get('/api/sessions')).json() as { id: string; current: boolean }[];
    const phoneId = list.find((session) => !session.current)!.id;
    expect((await stranger.post('/account/sessions/revoke', { id: phoneId })).statusCode).toBe(404);
    expect((await phone.get('/api/me')).statusCode).toBe(200);
    expect((await laptop.post('/account/sessions/revoke', { id: phoneId })).statusCode).toBe(200);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/me')).statusCode).toBe(200);
  });

  it(
    "a role change is audited with its actor, applies at once, and rotates the changed user's own session",
    { timeout: 60_000 },
    async () => {
      const database = await fresh(tier);
      const server = await startAuthServer({ database });
      const ada = new Browser(server);
      await ada.post('/signup', ADA);
      const { id } = (await ada.get('/api/me')).json() as { id: number };
      expect((await ada.get('/api/admin')).statusCode).toBe(403);
      const before = ada.jar.cookies.get('__Host-session');
      expect((await ada.post('/roles', { userId: String(id), roles: 'admin,author' })).statusCode).toBe(200);
      // A privilege change gives the session a new id: a token seen before it is worth nothing after.
      expect(ada.jar.cookies.get('__Host-session')).not.toBe(before);
      const stale = await server.inject({ url: '/api/me', headers: { cookie: `__Host-session=${before}` } });
      expect(stale.statusCode).toBe(401);
      expect((await ada.get('/api/admin')).statusCode).toBe(200);
      const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.type, 'role.change'));
      expect(event).toMatchObject({ userId: id, actorId: id, details: { from: [], to: ['admin', 'author'] } });
      const refused = await ada.post('/roles', { userId: String(id), roles: 'Admin!' }, { accept: 'application/json' });
      expect(refused.statusCode).toBe(400);
    },
  );

  it('changing the password ends the other sessions and rotates this one', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const laptop = new Browser(server);
    await laptop.post('/signup', ADA);
    const phone = new Browser(server);
    await phone.post('/login', { email: ADA.email, password: ADA.password });
    const before = laptop.jar.cookies.get('__Host-session');

    const weak = await laptop.post('/account/password', { current: ADA.password, password: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('too easy to guess');
    const wrong = await laptop.post('/account/password', {
      current: 'nope-nope-nope',
      password: 'a-new-long-phrase-47',
    });
    expect(wrong.statusCode).toBe(400);

    const changed = await laptop.post('/account/password', { current: ADA.password, password: 'a-new-long-phrase-47' });
    expect(changed.statusCode).toBe(303);
    expect(laptop.jar.cookies.get('__Host-session')).not.toBe(before);
    expect((await laptop.get('/api/me')).statusCode).toBe(200);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    expect((await new Browser(server).post('/login', { email: ADA.email, password: ADA.password })).statusCode).toBe(
      401,
    );
    const [event] = await database.db.select().from(auditEvents).where(eq(auditEvents.type, 'password.change'));
    expect(event?.details).toEqual({ otherSessionsEnded: 1 });
  });

  it('rehashes a password made with other Argon2id parameters at its next sign-in', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const old = { memoryKib: 19456, timeCost: 3, parallelism: 1 };
    await database.db
      .insert(users)
      .values({ email: 'old@example.org', name: 'Old', passwordHash: await hashPassword(ADA.password, old) });
    const login = await new Browser(server).post('/login', { email: 'old@example.org', password: ADA.password });
    expect(login.statusCode).toBe(303);
    const [row] = await database.db.select().from(users).where(eq(users.email, 'old@example.org'));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await verifyPassword(row!.passwordHash!, ADA.password, server.auth!.passwordParams)).ok).toBe(true);
  });

  it('refuses a sign-in form without its CSRF token (login CSRF)', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    await new Browser(server).post('/signup', ADA);
    const forged = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email: ADA.email, password: ADA.password }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a weak password, a bad address and a taken one at sign-up', { timeout: 60_000 }, async () => {
    const database = await fresh(tier);
    const server = await startAuthServer({ database });
    const browser = new Browser(server);
    const json = { accept: 'application/json' };
    const short = await browser.post('/signup', { ...ADA, password: 'Ab1!' }, json);
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ error: { code: 'WEAK_PASSWORD' } });
    expect(short.json().error.message).toContain('at least 8 characters');
    const guessable = await browser.post('/signup', { ...ADA, password: 'lovelace1815' }, json);
    expect(guessable.json()).toMatchObject({ error: { code: 'WEAK_PASSWORD' } });
    const address = await browser.post('/signup', { ...ADA, email: 'not-an-address' }, json);
    expect(address.json()).toMatchObject({ error: { status: 400, details: { field: 'email' } } });
    expect((await browser.post('/signup', ADA, json)).statusCode).toBe(303);
    const taken = await new Browser(server).post('/signup', { ...ADA, email: 'ADA@example.org' }, json);
    expect(taken.statusCode).toBe(409);
  });
});
