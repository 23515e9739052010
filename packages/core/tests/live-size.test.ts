import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** What a page's bundle gains, minified and gzipped at level 6 (as bench/lib/assets.mjs measures). */
async function gzippedBytes(contents: string): Promise<number> {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  });
  return gzipSync(result.outputFiles[0]!.contents).length;
}

describe('live client size budget', () => {
  it('the client a page uses (createLiveClient) is at most 3 kB gzipped', async () => {
    const bytes = await gzippedBytes("export { createLiveClient } from './src/live/index.ts';");
    expect(bytes).toBeLessThanOrEqual(3072);
  });

  it('the test transport is not part of it (tree-shaken unless imported)', async () => {
    const client = await gzippedBytes("export { createLiveClient } from './src/live/index.ts';");
    const withFake = await gzippedBytes(
      "export { createLiveClient, createFakeLiveTransport } from './src/live/index.ts';",
    );
    expect(withFake).toBeGreaterThan(client);
  });

  it('with createLazyLiveClient the page bundle keeps only a stub; the client is a chunk loaded on first use', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'live-split-'));
    try {
      const result = await build({
        stdin: {
          contents:
            "import { createLazyLiveClient } from './src/live/index.ts'; export const live = createLazyLiveClient({ url: '/live' });",
          resolveDir: root,
          loader: 'ts',
        },
        bundle: true,
        minify: true,
        splitting: true,
        format: 'esm',
        platform: 'browser',
        outdir,
        write: false,
        logLevel: 'silent',
      });
      const [entry, ...chunks] = result.outputFiles;
      // The outbox's refusal reason only exists in the client proper.
      expect(entry!.text).not.toContain('outbox_full');
      expect(entry!.text).toMatch(/import\(/);
      expect(gzipSync(entry!.contents).length).toBeLessThan(600);
      expect(chunks.some((chunk) => chunk.text.includes('outbox_full'))).toBe(true);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
