import { describe, expect, it } from 'vitest';
import { isPlainLeftClick, type ClickLike, type ElementLike } from '../src/routing/index.js';

function element(tag: string, attributes: Record<string, string> = {}, parent: FakeElement | null = null): FakeElement {
  const el: FakeElement = {
    tag,
    getAttribute: (name) => (Object.hasOwn(attributes, name) ? attributes[name]! : null),
    closest: (selector) => {
      expect(selector).toBe('a');
      for (let node: FakeElement | null = el; node; node = node.parent) if (node.tag === 'a') return node;
      return null;
    },
    parent,
  };
  return el;
}
type FakeElement = ElementLike & { tag: string; parent: FakeElement | null };

const click = (overrides: Partial<ClickLike> = {}): ClickLike => ({
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  defaultPrevented: false,
  currentTarget: element('a', { href: '/x' }),
  ...overrides,
});

describe('isPlainLeftClick', () => {
  it('accepts a plain left click on a link', () => {
    expect(isPlainLeftClick(click())).toBe(true);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { target: '_self' }) }))).toBe(true);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { target: '_SELF' }) }))).toBe(true);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { target: '' }) }))).toBe(true);
  });

  it.each([
    ['middle button', { button: 1 }],
    ['right button', { button: 2 }],
    ['meta', { metaKey: true }],
    ['ctrl', { ctrlKey: true }],
    ['shift', { shiftKey: true }],
    ['alt', { altKey: true }],
    ['already handled', { defaultPrevented: true }],
  ] as const)('leaves %s clicks to the browser', (_name, overrides) => {
    expect(isPlainLeftClick(click(overrides))).toBe(false);
  });

  it('leaves links that open elsewhere or download to the browser', () => {
    expect(isPlainLeftClick(click({ currentTarget: element('a', { target: '_blank' }) }))).toBe(false);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { target: 'frame1' }) }))).toBe(false);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { download: '' }) }))).toBe(false);
    expect(isPlainLeftClick(click({ currentTarget: element('a', { download: 'file.txt' }) }))).toBe(false);
  });

  it('finds the link from the clicked node when the handler is delegated', () => {
    const newTab = element('a', { target: '_blank' });
    const span = element('span', {}, newTab);
    const documentLike = {};
    expect(isPlainLeftClick(click({ currentTarget: documentLike, target: span }))).toBe(false);
    expect(isPlainLeftClick(click({ currentTarget: documentLike, target: element('span', {}, element('a')) }))).toBe(
      true,
    );
  });

  it('accepts a bare attribute holder as the link', () => {
    const bare = { getAttribute: (name: string) => (name === 'download' ? '' : null) };
    expect(isPlainLeftClick(click({ currentTarget: bare }))).toBe(false);
  });

  it('applies only the button and modifier checks when there is no link', () => {
    expect(isPlainLeftClick(click({ currentTarget: undefined }))).toBe(true);
    expect(isPlainLeftClick(click({ currentTarget: undefined, ctrlKey: true }))).toBe(false);
  });

  it('accepts a real MouseEvent type', () => {
    const asClick = (event: MouseEvent): ClickLike => event;
    expect(typeof asClick).toBe('function');
  });
});
