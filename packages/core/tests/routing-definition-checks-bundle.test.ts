import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Rolldown } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const routing = fileURLToPath(new URL('../src/routing/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'definition-checks-'));
const entry = join(dir, 'app.js');
writeFileSync(
  entry,
  `import { createRouter, param, route } from ${JSON.stringify(routing)};
export const router = createRouter({
  post: route('/posts/:id', { params: { id: param.int({ min: 1 }) }, query: { tab: param.enum(['a', 'b'], { optional: true }) } }),
});\n`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Texts only the definition checks carry (route(), compilePath, param.int, param.enum). */
const checks = [
  'Bad route definition',
  'invalid param name',
  'min and max must be safe integers',
  'distinct non-empty',
];
/** Texts of decoders the app does not use. */
const unusedDecoders = ['may contain only letters', '"on"', 'the item decoder cannot be optional'];

async function bundle(mode: 'production' | 'development', target: 'browser' | 'server'): Promise<string> {
  // Vite picks the "production" or "development" export condition from NODE_ENV, which the test
  // runner sets to "test"; `vite build` from the command line leaves it unset, meaning production.
  const saved = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = mode;
  const output = (await build({
    configFile: false,
    root: dir,
    mode,
    logLevel: 'silent',
    build: {
      write: false,
      minify: true,
      ...(target === 'server'
        ? { ssr: entry, rolldownOptions: { output: { format: 'es' } } }
        : { lib: { entry, formats: ['es'], fileName: 'app' } }),
    },
  }).finally(() => {
    process.env['NODE_ENV'] = saved;
  })) as Rolldown.RolldownOutput[] | Rolldown.RolldownOutput;
  const outputs = Array.isArray(output) ? output : [output];
  return outputs
    .flatMap((result) => result.output)
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('\n');
}

describe('route and param definition checks', () => {
  it('are left out of a production browser bundle, with the decoders the app does not use', async () => {
    const code = await bundle('production', 'browser');
    expect(code).toContain('must be an integer');
    for (const text of [...checks, ...unusedDecoders]) expect(code).not.toContain(text);
  });

  it('stay in a production server bundle, which checks the table at start-up before serving', async () => {
    const code = await bundle('production', 'server');
    for (const text of checks) expect(code).toContain(text);
  });

  it('stay in a development browser bundle', async () => {
    const code = await bundle('development', 'browser');
    for (const text of checks) expect(code).toContain(text);
  });
});
