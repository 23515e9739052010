import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { FormBrowser, signUpBrowser, type BlogServer } from './form-browser.js';
import { TEST_PASSWORD } from './sessions.js';

let accounts = 0;

/** A new account's address, unique across the run. */
export const newEmail = (who: string) => `${who}-${++accounts}-${Date.now()}@example.org`;

/** Rows of a SQL query on the blog's own database, either tier. */
export async function rows<T>(server: BlogServer, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await server.database!.db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * A browser signed in as an admin: the account is made through the sign-up form, given the role as
 * `npm run user:create -- --role admin` would (in the database), then signs in again so its session
 * carries the role.
 */
export async function adminBrowser(server: BlogServer, name = 'Grace Admin'): Promise<FormBrowser> {
  const email = newEmail('admin');
  await signUpBrowser(server, { name, email });
  await rows(server, sql`update auth_users set roles = '{admin}' where lower(email) = ${email.toLowerCase()}`);
  const browser = new FormBrowser(server);
  await browser.get('/login');
  const login = await browser.post('/login', { email, password: TEST_PASSWORD });
  expect(login.statusCode, login.body).toBe(303);
  await browser.get('/');
  return browser;
}

/** The signed-in viewer's id, as the page state says. */
export async function viewerId(browser: FormBrowser): Promise<number> {
  const page = await browser.get('/');
  const id = /"viewer":\{"id":(\d+)/.exec(page.body)?.[1];
  expect(id, 'a signed-in page carries the viewer').toBeDefined();
  return Number(id);
}
