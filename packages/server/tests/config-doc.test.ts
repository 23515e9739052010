import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, renderConfigDoc } from '../src/index.js';

describe('docs/configuration.md', () => {
  it('matches the configuration schema (regenerate with `npm run docs:config`)', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigDoc());
  });

  it('documents every variable the schema defines, with a description', () => {
    const doc = renderConfigDoc();
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      expect(doc).toContain(`| \`${name}\` |`);
      expect(String((schema as { description?: string }).description ?? '').length).toBeGreaterThan(10);
    }
  });
});
