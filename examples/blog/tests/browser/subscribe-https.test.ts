/**
 * The subscribe form over HTTPS, where the CSRF cookie is `__Host-cs_csrf`: a browser must accept
 * the prefixed cookie and send it back, with JavaScript (the store posts JSON) and without it (the
 * browser posts the form and follows the redirect).
 */
import { readFileSync } from 'node:fs';
import { createTestCertificate, type TestCertificate } from '@composable-svelte/testing';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startBuiltServer, type RunningServer } from './support/server.js';

let certificate: TestCertificate;
let blog: RunningServer;
let browser: Browser;

beforeAll(async () => {
  certificate = await createTestCertificate();
  const { certPath, keyPath } = certificate;
  blog = await startBuiltServer({ tls: { certPath, keyPath, ca: readFileSync(certPath) } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await blog?.stop();
  certificate?.remove();
});

async function csrfCookies(context: BrowserContext): Promise<{ name: string; secure: boolean; path: string }[]> {
  return (await context.cookies(blog.origin)).filter((cookie) => cookie.name.includes('cs_csrf'));
}

describe('the subscribe form over HTTPS', () => {
  it('with JavaScript: the __Host- CSRF cookie is stored and the subscription is confirmed', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const page = await context.newPage();
      expect((await page.goto(`${blog.origin}/subscribe`))?.status()).toBe(200);
      expect(await csrfCookies(context)).toEqual([
        expect.objectContaining({ name: '__Host-cs_csrf', secure: true, path: '/' }),
      ]);
      await page.locator('#subscribe-name').fill('Ada');
      await page.locator('#subscribe-email').fill('ada-https-js@example.com');
      const [answer] = await Promise.all([
        page.waitForResponse((response) => response.url() === `${blog.origin}/subscribe`),
        page.locator('main form button[type="submit"]').click(),
      ]);
      expect(answer.status()).toBe(201);
      await page.waitForFunction(
        () => document.querySelector('main [role="status"]')?.textContent === 'Thanks, Ada! You are on the list.',
        undefined,
        { timeout: 10_000 },
      );
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: the form posts with the __Host- cookie and lands on the confirmation', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      expect((await page.goto(`${blog.origin}/subscribe`))?.status()).toBe(200);
      expect((await csrfCookies(context)).map((cookie) => cookie.name)).toEqual(['__Host-cs_csrf']);
      await page.locator('#subscribe-name').fill('Grace');
      await page.locator('#subscribe-email').fill('grace-https-nojs@example.com');
      const [response] = await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.locator('main form button[type="submit"]').click(),
      ]);
      expect(response?.url()).toBe(`${blog.origin}/subscribe?subscribed=1`);
      expect(response?.status()).toBe(200);
      expect((await response!.request().redirectedFrom()?.response())?.status()).toBe(303);
      expect(await page.locator('main [role="status"]').textContent()).toBe(
        'Thanks for subscribing! You are on the list.',
      );
    } finally {
      await context.close();
    }
  });
});
