import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Rolldown } from 'vite';

export interface TestBundle {
  /** The minified code Vite builds from the entry, every chunk joined. */
  code(mode: 'production' | 'development', target?: 'browser' | 'server'): Promise<string>;
  /** Removes the entry's temporary directory. */
  dispose(): void;
}

/** An app entry (`source`, ES module text) in a temporary directory, bundled by Vite on demand. */
export function testBundle(name: string, source: string): TestBundle {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const entry = join(dir, 'app.js');
  writeFileSync(entry, source);
  return {
    async code(mode, target = 'browser') {
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
      return (Array.isArray(output) ? output : [output])
        .flatMap((result) => result.output)
        .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
        .join('\n');
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
