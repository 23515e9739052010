import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testBundle } from './support/vite-bundle.js';

const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const ssr = fileURLToPath(new URL('../src/ssr/index.ts', import.meta.url));
// The combinators' warnings, and parseState's excerpt of text that is not JSON.
const warnings = ['which is not in the collection', 'while its state is absent', '[composable-svelte]', '<<HERE>>'];
/** A minified browser bundle of an app using the parts that carry development diagnostics, built by Vite. */
const app = testBundle(
  'dev-warnings',
  `export { forEach, ifLet } from ${JSON.stringify(index)};\nexport { parseState } from ${JSON.stringify(ssr)};\n`,
);
afterAll(() => app.dispose());

describe('development warnings', () => {
  it('are left out of a production bundle, text and all', async () => {
    const code = await app.code('production');
    expect(code).toContain('forEach');
    expect(code).toContain('Cannot parse serialized state');
    for (const text of warnings) expect(code).not.toContain(text);
    expect(code).not.toMatch(/process|NODE_ENV/);
  });

  it('are in a development bundle, so the check above can fail', async () => {
    const code = await app.code('development');
    for (const text of warnings) expect(code).toContain(text);
  });
});
