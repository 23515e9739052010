/**
 * The auth tables' fixture migration (what the auth tests migrate with) matches the schema: a
 * schema change without `npm run db:auth-fixture -w packages/server` fails here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AUTH_MIGRATIONS } from './support/auth-server.js';

const run = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
// drizzle-kit's exports do not include its CLI; it sits next to the entry they do include.
const DRIZZLE_KIT = join(dirname(createRequire(import.meta.url).resolve('drizzle-kit')), 'bin.cjs');

const sqlOf = (folder: string) =>
  readdirSync(folder)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => readFileSync(join(folder, name), 'utf8'))
    .join('\n');

describe('auth schema fixture migration', () => {
  it('is what drizzle-kit generates from the schema today', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'cs-auth-migrations-'));
    try {
      await run(
        process.execPath,
        [DRIZZLE_KIT, 'generate', '--config', 'drizzle.auth.config.ts', '--name', 'auth_tables'],
        {
          cwd: PACKAGE_DIR,
          env: { ...process.env, AUTH_MIGRATIONS_OUT: out },
        },
      );
      expect(sqlOf(AUTH_MIGRATIONS), 'run `npm run db:auth-fixture -w packages/server`').toBe(sqlOf(out));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
