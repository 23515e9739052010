import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CSP, securityHeaderTable } from '../src/security/headers.js';
import { launchChromium } from './support/chromium.js';
import { startDevApp, type RunningDevApp } from './support/dev-app.js';

// One dev server (the real `composable-svelte dev` process) on a copy of the fixture app for the
// whole file: starting Vite is what costs time.
let app: RunningDevApp;
let browser: Browser;
beforeAll(async () => {
  [app, browser] = await Promise.all([startDevApp(), launchChromium()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([app?.stop(), browser?.close()]);
});

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the dev server said:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const fetchPage = async (path = '/') => {
  const response = await fetch(new URL(path, app.url));
  return { response, html: await response.text() };
};

/** A page whose CSP violations (console errors in Chromium) and uncaught errors are collected. */
async function openPage(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(new URL(path, app.url).href, { waitUntil: 'networkidle' });
  return { page, problems };
}

describe('composable-svelte dev', () => {
  it('says where a page spent its time: x-cache, load, settle, render and the effects it awaited', async () => {
    const { response } = await fetchPage('/');
    expect(response.headers.get('x-cache')).toBe('MISS');
    const timing = response.headers.get('server-timing')!;
    expect(timing).toMatch(/^load;dur=[\d.]+, settle;dur=[\d.]+;desc="1 effect results", render;dur=[\d.]+/);
    expect(timing).toMatch(/effect-1;dur=[\d.]+;desc="greeted"/);
    expect((await fetchPage('/')).response.headers.get('x-cache')).toBe('HIT');
  });

  // No waiting between a save and the request: the dev server compares the files it was built from
  // with the disk on each request, so the first request after a save is served from it. (A build
  // that raced the watcher's report once kept serving the old module until the next save.)
  it(
    'applies an edit to a server module and to a component on the next request, without a restart',
    { timeout: 60_000 },
    async () => {
      const pid = app.process.pid;
      const page = async () => (await fetchPage()).html;
      expect(await page()).toContain('<p id="greeting">hello from the server</p>');
      try {
        let greeting = 'hello from the server';
        // Several saves: the race with the watcher's report was lost now and then, not every time.
        for (let round = 1; round <= 10; round += 1) {
          const saveBy = round % 3 === 0 ? 'rename' : 'write';
          const edited = `edited on the server (${round}, ${saveBy})`;
          app.edit('src/server/greeting.ts', greeting, edited, saveBy);
          greeting = edited;
          expect(await page(), `save ${round}; the dev server said:\n${app.output()}`).toContain(
            `<p id="greeting">${edited}</p>`,
          );
        }
        app.edit('src/shared/App.svelte', '<h1 id="title">Counter</h1>', '<h1 id="title">Tally</h1>');
        expect(await page(), `the dev server said:\n${app.output()}`).toContain('<h1 id="title">Tally</h1>');
        app.edit('src/shared/App.svelte', '<h1 id="title">Tally</h1>', '<h1 id="title">Score</h1>', 'rename');
        expect(await page(), `the dev server said:\n${app.output()}`).toContain('<h1 id="title">Score</h1>');
        expect(app.process.exitCode).toBeNull();
        expect(app.process.pid).toBe(pid);
      } finally {
        app.restore('src/server/greeting.ts', 'src/shared/App.svelte');
      }
    },
  );

  it("passes the app's own WebSocket routes through the dev server's port, beside Vite's HMR socket", async () => {
    const socket = new WebSocket(new URL('/echo', app.url.replace(/^http/, 'ws')));
    const reply = await new Promise<string>((resolve, reject) => {
      socket.addEventListener('open', () => socket.send('ping'));
      socket.addEventListener('message', (event) => resolve(String(event.data)));
      socket.addEventListener('error', () => reject(new Error(`the socket failed:\n${app.output()}`)));
    });
    socket.close();
    expect(reply).toBe('echo: ping');
  });

  it("sends the production CSP plus only Vite's HMR socket and the nonce of the styles it injects", async () => {
    const { response } = await fetchPage();
    const devCsp = response.headers.get('content-security-policy')!;
    const production = securityHeaderTable({ production: true }, DEFAULT_CSP)['content-security-policy']!;
    const directives = (csp: string) =>
      Object.fromEntries(csp.split(';').map((d) => [d.trim().split(' ')[0]!, d.trim().split(' ').slice(1)]));
    const dev = directives(devCsp);
    const prod = directives(production);
    const { port } = new URL(app.url);
    expect(Object.keys(dev).sort()).toEqual(Object.keys(prod).sort());
    for (const name of Object.keys(prod)) {
      const added = dev[name]!.filter((source) => !prod[name]!.includes(source));
      expect(dev[name]!.slice(0, prod[name]!.length), name).toEqual(prod[name]);
      if (name === 'connect-src') expect(added).toEqual([`ws://localhost:${port}`, `ws://127.0.0.1:${port}`]);
      else if (name === 'style-src') expect(added).toEqual([expect.stringMatching(/^'nonce-[\w-]{16,}'$/)]);
      else expect(added, name).toEqual([]);
    }
  });

  it('hot-reloads a component in the browser and keeps the store state', async () => {
    const { page, problems } = await openPage('/');
    await page.locator('#increment').click();
    await page.locator('#increment').click();
    await page.locator('#increment').click();
    await expect.poll(() => page.locator('#count').textContent()).toBe('3');
    await page.evaluate(() => Object.assign(window, { beforeHotUpdate: true }));

    app.edit('src/shared/App.svelte', 'Add one', 'Add another');
    await expect.poll(() => page.locator('#increment').textContent(), { timeout: 30_000 }).toBe('Add another');
    expect(await page.locator('#count').textContent()).toBe('3');
    expect(await page.evaluate(() => 'beforeHotUpdate' in window), 'no full reload').toBe(true);
    expect(problems, 'no CSP violation or error').toEqual([]);
    await page.close();
  }, 60_000);

  it('shows an error thrown in load in the overlay, at its source line, and in the terminal', async () => {
    const { page, problems } = await openPage('/?boom');
    const overlay = page.locator('vite-error-overlay');
    await overlay.waitFor({ state: 'attached' });
    const text = await overlay.evaluate((element) => element.shadowRoot!.textContent);
    expect(text).toContain('load failed on purpose');
    expect(text).toMatch(/src\/server\/load-page\.ts:4:\d+/);
    expect(problems).toEqual([]);
    await until(async () => (/load-page\.ts:4:\d+/.test(app.output()) ? true : undefined), 'the stack in the log');
    await page.close();
  }, 60_000);
});
