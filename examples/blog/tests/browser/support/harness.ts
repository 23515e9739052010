import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchChromium, watchPage, type PageLog } from './browser.js';
import { startBuiltServer, type RunningServer } from './server.js';

/** Playwright waits (actions, locators, navigation) give up well before vitest's 30 s test timeout. */
const ACTION_TIMEOUT_MS = 10_000;
const NAVIGATION_TIMEOUT_MS = 15_000;

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly log: PageLog;
}

export interface LoadedPage extends OpenedPage {
  /** The document response; its status is what the server answered. */
  readonly response: Response;
}

export interface BlogHarness {
  /** http://127.0.0.1:PORT of the running production server. */
  readonly origin: string;
  url(path: string): string;
  server(): RunningServer;
  /** A fresh context (closed after the test) with one page whose console, errors and dialogs are recorded. */
  open(options?: BrowserContextOptions & { initScript?: string }): Promise<OpenedPage>;
  /** open() then load `path` and wait for the load event (by then the module script has hydrated the page). */
  load(path: string, options?: BrowserContextOptions & { initScript?: string }): Promise<LoadedPage>;
}

/**
 * Starts the built blog server and one Chromium for the calling test file, gives each test its
 * own browser context, and tears everything down afterwards. Call it at the top of a test file.
 */
export function useBlog(): BlogHarness {
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [serverResult, browserResult] = await Promise.allSettled([startBuiltServer(), launchChromium()]);
    if (serverResult.status === 'fulfilled') running = serverResult.value;
    if (browserResult.status === 'fulfilled') browser = browserResult.value;
    if (serverResult.status === 'rejected') throw serverResult.reason;
    if (browserResult.status === 'rejected') throw browserResult.reason;
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close().catch(() => {})));
  });

  afterAll(async () => {
    await Promise.all([browser?.close().catch(() => {}), running?.stop()]);
  });

  const harness: BlogHarness = {
    get origin() {
      if (!running) throw new Error('The blog server is not running (did beforeAll fail?)');
      return running.origin;
    },
    url: (path) => new URL(path, harness.origin).href,
    server() {
      if (!running) throw new Error('The blog server is not running (did beforeAll fail?)');
      return running;
    },
    async open(options = {}) {
      if (!browser) throw new Error('Chromium is not running (did beforeAll fail?)');
      const { initScript, ...contextOptions } = options;
      const context = await browser.newContext(contextOptions);
      contexts.push(context);
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
      if (initScript) await context.addInitScript({ content: initScript });
      const page = await context.newPage();
      return { context, page, log: watchPage(page) };
    },
    async load(path, options) {
      const opened = await harness.open(options);
      const response = await opened.page.goto(harness.url(path), { waitUntil: 'load' });
      if (!response) throw new Error(`No response for ${path}`);
      return { ...opened, response };
    },
  };
  return harness;
}
