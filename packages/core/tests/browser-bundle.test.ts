import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url));
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

describe('the core is browser-safe', () => {
  it.each([
    'index.ts',
    'routing/index.ts',
    'ssr/index.ts',
    'svelte/index.ts',
    'test/index.ts',
    'live/index.ts',
    'i18n/index.ts',
  ])('bundles %s for the browser with no Node-only import', async (path) => {
    const result = await build({
      entryPoints: [entry(path)],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      // Svelte is the app's peer dependency, resolved by the app's bundler.
      external: ['svelte', 'svelte/*'],
    });
    expect(result.errors).toEqual([]);
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports.filter((name) => nodeBuiltins.has(name))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/\bprocess\.(?!env\b)|require\(/);
  });

  it('would catch a Node import: a module importing node:fs fails the browser bundle', async () => {
    await expect(
      build({
        stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);" },
        bundle: true,
        write: false,
        platform: 'browser',
        logLevel: 'silent',
      }),
    ).rejects.toThrow(/node:fs/);
  });
});
