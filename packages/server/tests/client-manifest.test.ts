import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadClientAssets, renderDocument } from '../src/subpaths/render.js';
import { fixtureClientDir } from './fixtures/app.js';

describe('client assets from the Vite manifest', () => {
  it('resolves the entry script, its imports for modulepreload and every stylesheet once', () => {
    const assets = loadClientAssets(fixtureClientDir(), 'src/entry.ts');
    expect(assets.script.href).toBe('/assets/entry-abc123.js');
    expect(assets.preloads.map((a) => a.href)).toEqual(['/assets/shared-def456.js']);
    expect(assets.styles.map((a) => a.href)).toEqual(['/assets/entry-abc123.css', '/assets/shared-def456.css']);
    expect(assets.script.integrity).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
  });

  it('fails clearly when the build or the entry is missing', () => {
    expect(() => loadClientAssets(mkdtempSync(join(tmpdir(), 'empty-')), 'src/entry.ts')).toThrow(
      /error\[CS2001\]: Cannot read the client build manifest .*\n {2}help: run the client build first/,
    );
    expect(() => loadClientAssets(fixtureClientDir(), 'src/other.ts')).toThrow(
      /error\[CS2002\]: The client build has no entry "src\/other\.ts" \(its entries: src\/entry\.ts\)/,
    );
  });
});

describe('renderDocument', () => {
  const assets = loadClientAssets(fixtureClientDir(), 'src/entry.ts');
  const base = { lang: 'en', body: '<p>hi</p>', state: { a: '</script>' }, assets, fallbackTitle: 'Fallback <Title>' };

  it('adds a title only when the app head has none, so there is exactly one', () => {
    expect(renderDocument({ ...base, head: '' }).match(/<title>/g)).toEqual(['<title>']);
    expect(renderDocument({ ...base, head: '' })).toContain('<title>Fallback &lt;Title&gt;</title>');
    const own = renderDocument({ ...base, head: '<title>Mine</title>' });
    expect(own.match(/<title>/g)).toHaveLength(1);
    expect(own).toContain('<title>Mine</title>');
  });

  it('embeds the state so that no string can close the script element', () => {
    const html = renderDocument({ ...base, head: '' });
    expect(html).toContain('{"a":"\\u003c/script\\u003e"}</script>');
  });

  it('refuses state that JSON cannot carry, naming the path', () => {
    expect(() => renderDocument({ ...base, head: '', state: { when: new Date(0) } })).toThrow(/state\.when: Date/);
  });
});
