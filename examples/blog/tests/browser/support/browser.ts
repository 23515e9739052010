import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function aptGet(args: string[]): void {
  execFileSync('apt-get', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 300_000,
  });
}

/** Makes sure /usr/bin/chromium exists: installs it when running as root, otherwise says how. */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}. Install it, e.g. \`sudo apt-get install -y chromium\` ` +
        '(Debian/Ubuntu), then run the tests again.',
    );
  }
  try {
    aptGet(['install', '-y', 'chromium']);
  } catch {
    // A fresh image often has no package lists yet.
    aptGet(['update']);
    aptGet(['install', '-y', 'chromium']);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing.`);
  }
  return CHROMIUM_PATH;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface ConsoleEntry {
  readonly type: string;
  readonly text: string;
  readonly url: string;
}

/** What a page said and did that a user would notice as broken. */
export interface PageLog {
  /** Console messages of type error and warning. */
  readonly console: ConsoleEntry[];
  /** Uncaught exceptions and unhandled rejections. */
  readonly pageErrors: string[];
  /** alert/confirm/prompt/beforeunload dialogs; each is dismissed as it opens. */
  readonly dialogs: { type: string; message: string }[];
}

export function watchPage(page: Page): PageLog {
  const log: PageLog = { console: [], pageErrors: [], dialogs: [] };
  page.on('console', (message) => {
    const type = message.type();
    if (type === 'error' || type === 'warning') {
      log.console.push({ type, text: message.text(), url: message.location().url });
    }
  });
  page.on('pageerror', (error) => log.pageErrors.push(`${error.name}: ${error.message}`));
  page.on('dialog', (dialog) => {
    log.dialogs.push({ type: dialog.type(), message: dialog.message() });
    dialog.dismiss().catch(() => {});
  });
  return log;
}

export type ConsoleAllowance = RegExp | ((entry: ConsoleEntry) => boolean);

export interface CleanOptions {
  /** Console errors that the test provokes on purpose (e.g. a mocked 500). A RegExp is matched against the text. */
  readonly allowConsoleErrors?: readonly ConsoleAllowance[];
}

/**
 * Chromium logs a document (or fetch) answered with an error status as a failed resource load.
 * Allows exactly that message for exactly that URL, when the status is the point of the test.
 */
export function failedLoadOf(url: string, status: number): ConsoleAllowance {
  return (entry) =>
    entry.url === url &&
    entry.text.startsWith(`Failed to load resource: the server responded with a status of ${status} `);
}

/**
 * No console errors, no hydration warnings (Svelte's mention `hydration`), no uncaught errors,
 * no dialogs. Other warnings are allowed.
 */
export function expectCleanPage(log: PageLog, options: CleanOptions = {}): void {
  const allowed = options.allowConsoleErrors ?? [];
  const isAllowed = (entry: ConsoleEntry) =>
    allowed.some((allowance) => (allowance instanceof RegExp ? allowance.test(entry.text) : allowance(entry)));
  const errors = log.console.filter((entry) => entry.type === 'error' && !isAllowed(entry));
  const hydrationWarnings = log.console.filter((entry) => /hydrat/i.test(entry.text));
  expect(errors, 'console errors').toEqual([]);
  expect(hydrationWarnings, 'hydration warnings').toEqual([]);
  expect(log.pageErrors, 'uncaught page errors').toEqual([]);
  expect(log.dialogs, 'dialogs').toEqual([]);
}
