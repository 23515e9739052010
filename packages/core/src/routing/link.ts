/** The part of an element that link-click checks read; a real Element satisfies it. */
export interface ElementLike {
  getAttribute(name: string): string | null;
  closest?(selector: string): ElementLike | null;
}

/** The part of a MouseEvent that link-click checks read; a real MouseEvent satisfies it. */
export interface ClickLike {
  readonly button: number;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  readonly defaultPrevented: boolean;
  readonly currentTarget?: unknown;
  readonly target?: unknown;
}

function anchorFrom(node: unknown): ElementLike | null {
  const el = node as Partial<ElementLike> | null | undefined;
  if (typeof el?.closest === 'function') return el.closest('a');
  // Minimal stand-ins (tests, non-DOM hosts) are taken to be the link itself.
  if (typeof el?.getAttribute === 'function') return el as ElementLike;
  return null;
}

/**
 * True when the app should handle a click on a link itself. Anything else
 * (new tab, download, modified click, a handler that already claimed the
 * event) is left to the browser so users keep the behaviour they expect.
 * With no link found, only the button and modifier checks apply.
 */
export function isPlainLeftClick(event: ClickLike): boolean {
  if (event.button !== 0 || event.defaultPrevented) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  // A handler on the link itself has it as currentTarget; a delegated handler
  // (e.g. on document) has to look up from the clicked node.
  const anchor = anchorFrom(event.currentTarget) ?? anchorFrom(event.target);
  if (!anchor) return true;
  const target = anchor.getAttribute('target');
  if (target !== null && target !== '' && target.toLowerCase() !== '_self') return false;
  return anchor.getAttribute('download') === null;
}
