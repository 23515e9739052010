import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testBundle } from './support/vite-bundle.js';

const routing = fileURLToPath(new URL('../src/routing/index.ts', import.meta.url));
const app = testBundle(
  'definition-checks',
  `import { createRouter, param, route } from ${JSON.stringify(routing)};
export const router = createRouter({
  post: route('/posts/:id', { params: { id: param.int({ min: 1 }) }, query: { tab: param.enum(['a', 'b'], { optional: true }) } }),
});\n`,
);
afterAll(() => app.dispose());

/** Texts only the definition checks carry (route(), compilePath, param.int, param.enum). */
const checks = [
  'Bad route definition',
  'invalid param name',
  'min and max must be safe integers',
  'distinct non-empty',
];
/** Texts of decoders the app does not use. */
const unusedDecoders = ['may contain only letters', '"on"', 'the item decoder cannot be optional'];

describe('route and param definition checks', () => {
  it('are left out of a production browser bundle, with the decoders the app does not use', async () => {
    const code = await app.code('production', 'browser');
    expect(code).toContain('must be an integer');
    for (const text of [...checks, ...unusedDecoders]) expect(code).not.toContain(text);
  });

  it('stay in a production server bundle, which checks the table at start-up before serving', async () => {
    const code = await app.code('production', 'server');
    for (const text of checks) expect(code).toContain(text);
  });

  it('stay in a development browser bundle', async () => {
    const code = await app.code('development', 'browser');
    for (const text of checks) expect(code).toContain(text);
  });
});
