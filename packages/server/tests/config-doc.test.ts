import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadServerConfig, renderConfigDoc, renderEnvExample } from '../src/subpaths/config.js';

describe('docs/configuration.md', () => {
  it('matches the configuration schema (regenerate with `npm run docs:config`)', () => {
    const doc = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigDoc());
  });

  it('.env.example matches the schema and lists every variable with its default', () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    expect(example).toBe(renderEnvExample());
    for (const name of Object.keys(ConfigSchema.properties)) expect(example).toMatch(new RegExp(`^# ${name}=`, 'm'));
    // Uncommenting every default must give a valid configuration.
    const env = Object.fromEntries(
      [...example.matchAll(/^# ([A-Z_0-9]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]).filter(([, v]) => v !== ''),
    );
    expect(() => loadServerConfig(env)).not.toThrow();
  });

  it('documents every variable the schema defines, with a description', () => {
    const doc = renderConfigDoc();
    for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
      expect(doc).toContain(`| \`${name}\` |`);
      expect(String((schema as { description?: string }).description ?? '').length).toBeGreaterThan(10);
    }
  });
});
