import type { Page } from 'playwright-core';

/**
 * An init script (runs before the document is parsed) that tells hydration from re-rendering.
 *
 * - A MutationObserver on `document` records every element removed from inside #app.
 * - When parsing ends (readyState "interactive"), which is before deferred and module scripts run,
 *   it snapshots the server-rendered elements under #app, the h1 node and the text of #app.
 *   The text leaves out the live status (`.live-status`): readers and connection news arrive over
 *   the live channel after hydration, by design.
 *
 * Hydration adopts the server's nodes; a re-render (e.g. after a hydration mismatch) replaces them.
 */
export const HYDRATION_PROBE = `(() => {
  const probe = {
    snapshotTaken: false,
    scriptsAtSnapshot: -1,
    ssrElements: [],
    ssrH1: null,
    ssrText: '',
    removed: [],
  };
  Object.defineProperty(window, '__hydrationProbe', { value: probe });
  const ssr = new Set();
  const describe = (el) =>
    el.tagName.toLowerCase() +
    (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 60) + '"';
  const textOutsideLive = (root) => {
    const copy = root.cloneNode(true);
    for (const el of copy.querySelectorAll('.live-status')) el.remove();
    return copy.textContent;
  };
  const insideApp = (node) =>
    node && node.nodeType === 1 && (node.id === 'app' || (typeof node.closest === 'function' && node.closest('#app') !== null));
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.removedNodes) {
        if (node.nodeType !== 1) continue;
        if (ssr.has(node) || insideApp(record.target)) {
          probe.removed.push({ element: describe(node), serverRendered: ssr.has(node) });
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
  document.addEventListener('readystatechange', () => {
    if (document.readyState !== 'interactive' || probe.snapshotTaken) return;
    probe.snapshotTaken = true;
    const app = document.getElementById('app');
    if (!app) return;
    probe.ssrElements = [app, ...app.querySelectorAll('*')];
    for (const el of probe.ssrElements) ssr.add(el);
    probe.ssrH1 = app.querySelector('main h1');
    probe.ssrText = textOutsideLive(app);
  });
})();`;

export interface HydrationReport {
  readonly snapshotTaken: boolean;
  readonly ssrElementCount: number;
  /** Server-rendered elements that are no longer in the document. */
  readonly detached: string[];
  /** Elements removed from inside #app since the page started loading. */
  readonly removed: { element: string; serverRendered: boolean }[];
  readonly h1IsServerNode: boolean;
  readonly h1Present: boolean;
  readonly textBefore: string;
  readonly textAfter: string;
}

/** Reads the probe; call it before the test itself changes the page. */
export async function hydrationReport(page: Page): Promise<HydrationReport> {
  // Let pending mutation records reach the observer first.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  return page.evaluate(() => {
    type Probe = {
      snapshotTaken: boolean;
      ssrElements: Element[];
      ssrH1: Element | null;
      ssrText: string;
      removed: { element: string; serverRendered: boolean }[];
    };
    const probe = (window as unknown as { __hydrationProbe?: Probe }).__hydrationProbe;
    if (!probe) throw new Error('The hydration probe did not run');
    const app = document.getElementById('app');
    const h1 = app?.querySelector('main h1') ?? null;
    const textOutsideLive = (root: Element | null) => {
      if (!root) return '';
      const copy = root.cloneNode(true) as Element;
      for (const el of copy.querySelectorAll('.live-status')) el.remove();
      return copy.textContent ?? '';
    };
    return {
      snapshotTaken: probe.snapshotTaken,
      ssrElementCount: probe.ssrElements.length,
      detached: probe.ssrElements
        .filter((el) => !el.isConnected)
        .map((el) => `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 60)}"`),
      removed: probe.removed,
      h1IsServerNode: h1 !== null && h1 === probe.ssrH1,
      h1Present: h1 !== null,
      textBefore: probe.ssrText,
      textAfter: textOutsideLive(app),
    };
  });
}
