import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ConsoleEntry, PageLog } from './browser.js';

/**
 * An init script (every document, before its own scripts) that records Content-Security-Policy
 * violations. The site allows no inline script or style, so any violation while a payload is on the
 * page means the payload became markup: the CSP blocked it, but the escaping failed.
 * The list is non-writable so a payload that did run could not quietly reset it.
 */
export const CSP_RECORDER = `(() => {
  const violations = [];
  Object.defineProperty(window, '__cspViolations', { value: violations });
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push({ violatedDirective: event.violatedDirective, blockedURI: event.blockedURI, sample: event.sample });
  }, true);
})()`;

export interface CspViolation {
  readonly violatedDirective: string;
  readonly blockedURI: string;
  readonly sample: string;
}

/** What a payload could have changed, read from the live document in one round trip. */
export interface DomSnapshot {
  readonly href: string;
  readonly origin: string;
  readonly title: string;
  /** window.__xss: set by every payload that ran. */
  readonly xss: unknown;
  /** Object.prototype.__xss: a polluted prototype. */
  readonly protoXss: unknown;
  /** null when the recorder is not installed (JavaScript disabled). */
  readonly csp: CspViolation[] | null;
  readonly h1s: string[];
  readonly h1Children: number;
  readonly scripts: { type: string; id: string; src: string | null; inBody: boolean }[];
  /** Elements in <main> no page of the blog renders there. */
  readonly injected: string[];
  /** Elements anywhere in the document that would hijack it. */
  readonly hijack: string[];
  /** `on*` attributes anywhere. */
  readonly handlers: string[];
  /** autofocus, srcdoc, formaction and inline style attributes anywhere. */
  readonly riskyAttributes: string[];
  /** <a href> values that are not same-origin paths or fragments. */
  readonly foreignLinks: string[];
  /** form, input, button, select and textarea elements in the document. */
  readonly formControls: number;
  readonly codes: { text: string; children: number }[];
  readonly status: { text: string; children: number } | null;
  readonly emailError: { text: string; children: number } | null;
  /** Whether the serialized state block parses, and its page. */
  readonly state: { ok: boolean; page?: unknown; error?: string };
}

// A string, not a function: the test bundler may wrap named functions in helpers the page lacks.
const SNAPSHOT = `(() => {
  const main = document.querySelector('main');
  const describe = (el) => el.tagName.toLowerCase() + (el.outerHTML ? ' ' + el.outerHTML.slice(0, 120) : '');
  const all = Array.from(document.querySelectorAll('*'));
  const handlers = [];
  const riskyAttributes = [];
  for (const el of all) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) handlers.push(el.tagName.toLowerCase() + '[' + name + '=' + attr.value.slice(0, 60) + ']');
      if (['autofocus', 'srcdoc', 'formaction', 'style', 'http-equiv'].includes(name)) {
        riskyAttributes.push(el.tagName.toLowerCase() + '[' + name + ']');
      }
    }
  }
  const INJECTED = 'script, iframe, frame, frameset, svg, math, img, image, base, meta, style, link, object, embed, ' +
    'noscript, template, details, video, audio, source, body, head, html, title, xmp, plaintext, listing, marquee, ' +
    'form, input, button, select, textarea';
  const onSubscribe = location.pathname === '/subscribe';
  const injected = main
    ? Array.from(main.querySelectorAll(INJECTED))
        .filter((el) => !(onSubscribe && el.closest('form.form') && ['form', 'input', 'button'].includes(el.tagName.toLowerCase())))
        .map(describe)
    : ['<main> is missing'];
  const hijack = Array.from(document.querySelectorAll('base, meta[http-equiv], iframe, frame, object, embed, svg, math, style, noscript, template'))
    .map(describe);
  const foreignLinks = Array.from(document.querySelectorAll('a[href], area[href]'))
    .map((a) => a.getAttribute('href'))
    .filter((href) => !/^(\\/(?![\\/\\\\])|#)/.test(href));
  const text = (el) => (el ? { text: el.textContent, children: el.children.length } : null);
  let state;
  try {
    const parsed = JSON.parse(document.getElementById('composable-state').textContent);
    state = { ok: true, page: parsed.page };
  } catch (error) {
    state = { ok: false, error: String(error) };
  }
  return {
    href: location.href,
    origin: location.origin,
    title: document.title,
    xss: window.__xss,
    protoXss: ({}).__xss,
    csp: Array.isArray(window.__cspViolations) ? window.__cspViolations.slice() : null,
    h1s: Array.from(document.querySelectorAll('main h1'), (h) => h.textContent.trim()),
    h1Children: Array.from(document.querySelectorAll('main h1')).reduce((n, h) => n + h.children.length, 0),
    scripts: Array.from(document.scripts, (s) => ({ type: s.type, id: s.id, src: s.getAttribute('src'), inBody: s.parentElement === document.body })),
    injected,
    hijack,
    handlers,
    riskyAttributes,
    foreignLinks,
    formControls: document.querySelectorAll('form, input, button, select, textarea').length,
    codes: main ? Array.from(main.querySelectorAll('code'), text) : [],
    status: text(document.querySelector('main .status[role="status"]')),
    emailError: text(document.getElementById('subscribe-email-error')),
    state,
  };
})()`;

export function snapshot(page: Page): Promise<DomSnapshot> {
  return page.evaluate(SNAPSHOT) as Promise<DomSnapshot>;
}

export interface SnapshotExpectations {
  /** The page's own h1 (exact text), or any of several. */
  readonly h1: string | readonly string[];
  /** form + inputs + button the page legitimately has (the subscribe form: 5). */
  readonly formControls?: number;
  /** JavaScript ran in the page, so the CSP recorder must be there. */
  readonly javaScript?: boolean;
}

/**
 * Nothing ran and nothing became markup: no marker, no title change, no CSP violation, only the
 * app's two scripts, no foreign elements or attributes, a state block that parses, and the page's
 * own heading as plain text.
 */
export function expectNothingInjected(snap: DomSnapshot, label: string, expected: SnapshotExpectations): void {
  const h1s = typeof expected.h1 === 'string' ? [expected.h1] : expected.h1;
  expect(snap.xss, `${label}: window.__xss`).toBeUndefined();
  expect(snap.protoXss, `${label}: Object.prototype.__xss`).toBeUndefined();
  expect(snap.title, `${label}: document.title`).not.toBe('XSS');
  if (expected.javaScript !== false) {
    expect(snap.csp, `${label}: CSP recorder installed`).not.toBeNull();
    expect(snap.csp, `${label}: CSP violations`).toEqual([]);
  }
  expect(snap.h1s, `${label}: main h1`).toHaveLength(1);
  expect(h1s, `${label}: main h1 text`).toContain(snap.h1s[0]);
  expect(snap.h1Children, `${label}: elements inside the h1`).toBe(0);
  expect(snap.scripts, `${label}: script elements`).toHaveLength(2);
  expect(
    snap.scripts.filter((s) => s.type === 'application/json' && s.id === 'composable-state' && s.src === null),
    `${label}: state block`,
  ).toHaveLength(1);
  expect(
    snap.scripts.filter((s) => s.type === 'module' && /^\/assets\/entry-[\w-]+\.js$/.test(s.src ?? '')),
    `${label}: module script`,
  ).toHaveLength(1);
  expect(snap.injected, `${label}: foreign elements in <main>`).toEqual([]);
  expect(snap.hijack, `${label}: document-hijacking elements`).toEqual([]);
  expect(snap.handlers, `${label}: event-handler attributes`).toEqual([]);
  expect(snap.riskyAttributes, `${label}: risky attributes`).toEqual([]);
  expect(snap.foreignLinks, `${label}: links off this origin or to other schemes`).toEqual([]);
  expect(snap.formControls, `${label}: form controls`).toBe(expected.formControls ?? 0);
  expect(snap.state, `${label}: serialized state`).toMatchObject({ ok: true });
  for (const code of snap.codes) expect(code.children, `${label}: elements inside <code>`).toBe(0);
}

/** Positions in a page log, to look only at what happened after them. */
export interface LogMark {
  readonly console: number;
  readonly pageErrors: number;
  readonly dialogs: number;
}

export function markLog(log: PageLog): LogMark {
  return { console: log.console.length, pageErrors: log.pageErrors.length, dialogs: log.dialogs.length };
}

/** Chromium's message for a document or fetch answered with an error status. */
export function isFailedLoad(entry: ConsoleEntry, url: string, status: number): boolean {
  return (
    entry.url === url &&
    entry.text.startsWith(`Failed to load resource: the server responded with a status of ${status} `)
  );
}

/**
 * Since `mark`: no dialogs, no uncaught errors, and no console errors except the allowed ones
 * (Chromium also reports CSP violations as console errors, so those fail here too).
 */
export function expectQuietSince(
  log: PageLog,
  mark: LogMark,
  label: string,
  allowed: (entry: ConsoleEntry) => boolean = () => false,
): void {
  expect(log.dialogs.slice(mark.dialogs), `${label}: dialogs`).toEqual([]);
  expect(log.pageErrors.slice(mark.pageErrors), `${label}: uncaught page errors`).toEqual([]);
  const errors = log.console.slice(mark.console).filter((entry) => entry.type === 'error' && !allowed(entry));
  expect(errors, `${label}: console errors`).toEqual([]);
}

/** The document's CSP must forbid inline script and style, plugins and <base> rewrites. */
export function expectStrictCsp(header: string | undefined, label: string): void {
  expect(header, `${label}: content-security-policy header`).toBeTruthy();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
  const styleSrc = directives.get('style-src') ?? directives.get('default-src');
  expect(directives.get('default-src'), `${label}: default-src`).toEqual(["'none'"]);
  for (const [name, values] of [
    ['script-src', scriptSrc],
    ['style-src', styleSrc],
  ] as const) {
    expect(values, `${label}: ${name}`).toBeDefined();
    expect(values, `${label}: ${name}`).toContain("'self'");
    for (const unsafe of [
      "'unsafe-inline'",
      "'unsafe-eval'",
      "'unsafe-hashes'",
      '*',
      'data:',
      'blob:',
      'http:',
      'https:',
    ]) {
      expect(values, `${label}: ${name} must not allow ${unsafe}`).not.toContain(unsafe);
    }
  }
  expect(directives.get('object-src'), `${label}: object-src`).toEqual(["'none'"]);
  expect(["'none'", "'self'"], `${label}: base-uri`).toContainEqual((directives.get('base-uri') ?? [])[0]);
}
