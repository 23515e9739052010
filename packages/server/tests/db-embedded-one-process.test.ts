/**
 * The embedded database lives in one process: a cluster worker asking for an on-disk one is
 * refused with a message that says what to do, instead of two processes corrupting one directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const built = fileURLToPath(new URL('../dist/db/open-database.js', import.meta.url));

it('a cluster worker cannot open the embedded database on disk, and is told to use DATABASE_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-embedded-'));
  try {
    const script = `
      import cluster from 'node:cluster';
      if (cluster.isPrimary) {
        cluster.fork().on('message', (m) => { console.log(m); process.exit(0); });
      } else {
        const { openDatabase } = await import(${JSON.stringify(built)});
        try { await openDatabase({ dataDir: ${JSON.stringify(join(dir, 'db'))} }); process.send('opened'); }
        catch (error) { process.send(error.message); }
      }`;
    // A file, not -e: cluster workers re-run the primary's script.
    const file = join(dir, 'cluster.mjs');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(child.stdout).toMatch(/serves one process.*WEB_CONCURRENCY > 1 set DATABASE_URL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
