import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const ssr = fileURLToPath(new URL('../src/ssr/index.ts', import.meta.url));
// The combinators' warnings, and parseState's excerpt of text that is not JSON.
const warnings = ['which is not in the collection', 'while its state is absent', '[composable-svelte]', '<<HERE>>'];
const dir = mkdtempSync(join(tmpdir(), 'dev-warnings-'));
const entry = join(dir, 'app.js');
writeFileSync(
  entry,
  `export { forEach, ifLet } from ${JSON.stringify(index)};\nexport { parseState } from ${JSON.stringify(ssr)};\n`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A minified browser bundle of an app using the parts that carry development diagnostics, built by Vite. */
async function bundle(mode: 'production' | 'development'): Promise<string> {
  // Vite picks the "production" or "development" export condition from NODE_ENV, which the test
  // runner sets to "test"; `vite build` from the command line leaves it unset, meaning production.
  const saved = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = mode;
  const output = (await build({
    configFile: false,
    root: dir,
    mode,
    logLevel: 'silent',
    build: { write: false, minify: true, lib: { entry, formats: ['es'], fileName: 'app' } },
  }).finally(() => {
    process.env['NODE_ENV'] = saved;
  })) as Rolldown.RolldownOutput[];
  return output[0]!.output.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');
}

describe('development warnings', () => {
  it('are left out of a production bundle, text and all', async () => {
    const code = await bundle('production');
    expect(code).toContain('forEach');
    expect(code).toContain('Cannot parse serialized state');
    for (const text of warnings) expect(code).not.toContain(text);
    expect(code).not.toMatch(/process|NODE_ENV/);
  });

  it('are in a development bundle, so the check above can fail', async () => {
    const code = await bundle('development');
    for (const text of warnings) expect(code).toContain(text);
  });
});
