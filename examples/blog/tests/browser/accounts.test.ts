/**
 * Accounts in Chromium, with and without JavaScript: sign up, sign out, sign in (a wrong password
 * first), the account page — all plain forms, so both ways must give the same result.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectCleanPage, failedLoadOf } from './support/browser.js';
import { useBlog } from './support/harness.js';

const blog = useBlog();
const PASSWORD = 'tidal-orchard-compass-64';

const headerText = async (page: Page) =>
  ((await page.locator('header nav[aria-label="Primary"]').textContent()) ?? '').replace(/\s+/g, ' ');

async function submit(page: Page, button: string) {
  await Promise.all([page.waitForEvent('load'), page.locator(button).click()]);
}

describe.each([
  { javaScript: true, label: 'with JavaScript' },
  { javaScript: false, label: 'without JavaScript' },
])('accounts $label', ({ javaScript }) => {
  it('signs up, signs out, fails then signs in, and lists the session', async () => {
    const email = `reader-${javaScript ? 'js' : 'nojs'}@example.org`;
    const { page, log } = await blog.open({ javaScriptEnabled: javaScript });

    await page.goto(blog.url('/'));
    expect(await headerText(page)).toContain('Sign in');
    await Promise.all([page.waitForEvent('load'), page.locator('header a[href="/signup"]').click()]);
    await page.locator('#signup-name').fill('Margaret');
    await page.locator('#signup-email').fill(email);
    await page.locator('#signup-password').fill(PASSWORD);
    await submit(page, 'main form button[type="submit"]');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('main [role="status"]').first().textContent()).toContain('Welcome, Margaret.');
    expect(await headerText(page)).toContain('Margaret');

    await submit(page, 'header form button[type="submit"]');
    expect(await headerText(page)).toContain('Sign in');
    expect(await headerText(page)).not.toContain('Margaret');

    await page.goto(blog.url('/account'));
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/login?next=%2Faccount');
    await page.locator('#login-email').fill(email);
    await page.locator('#login-password').fill('not-the-password');
    const [failed] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.locator('main form button[type="submit"]').click(),
    ]);
    expect(failed.status()).toBe(401);
    await page.waitForLoadState('load');
    expect(await page.locator('main [role="alert"]').textContent()).toBe(
      'The e-mail address or password is incorrect.',
    );
    await page.locator('#login-password').fill(PASSWORD);
    await submit(page, 'main form button[type="submit"]');
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(await page.locator('main h1').textContent()).toBe('Your account');
    expect(await page.locator('main ul.sessions li').count()).toBe(1);
    expect(await page.locator('main ul.sessions li').textContent()).toContain('Chrome on Linux');
    expect(await page.locator('main ul.sessions li').textContent()).toContain('(this browser)');
    // Hydrated pages for a viewer match what the server rendered: no warnings, no errors.
    expectCleanPage(log, { allowConsoleErrors: [failedLoadOf(blog.url('/login?next=%2Faccount'), 401)] });
  });
});
