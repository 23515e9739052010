/**
 * `npm run user:create -- --email … --role admin` (the built dist/server/user-cli.js): how the first
 * admin is made, with the password on standard input — there are no default credentials anywhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPassword } from '@composable-svelte/server/auth';
import { openDatabase } from '@composable-svelte/server/db';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/server/user-cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cs-blog-user-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(password: string, ...args: string[]) {
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_DIR: join(dir, 'db'),
    AUTH_ARGON2_MEMORY_KIB: '19456',
    AUTH_ARGON2_TIME_COST: '2',
  };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    env,
    input: `${password}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: child.status, stderr: child.stderr };
}

it(
  'creates an admin whose password is hashed, and refuses a second account for the address',
  { timeout: 120_000 },
  async () => {
    const password = 'granite-meadow-violin-42';
    expect(run(password, 'create', '--email', 'Admin@Example.org', '--name', 'Site Admin', '--role', 'admin')).toEqual({
      code: 0,
      stderr: 'created user 1 <Admin@Example.org> with roles admin\n',
    });
    const again = run(password, 'create', '--email', 'admin@example.org');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');

    const database = await openDatabase({ dataDir: join(dir, 'db') });
    try {
      const { rows } = (await database.db.execute(
        sql`select name, roles, password_hash from auth_users`,
      )) as unknown as { rows: { name: string; roles: string[]; password_hash: string }[] };
      expect(rows).toHaveLength(1);
      expect(rows[0]!.name).toBe('Site Admin');
      expect(rows[0]!.roles).toEqual(['admin']);
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(
        (await verifyPassword(rows[0]!.password_hash, password, { memoryKib: 19456, timeCost: 2, parallelism: 1 })).ok,
      ).toBe(true);
    } finally {
      await database.close();
    }
  },
);

it('refuses a weak password and bad arguments, saying why', { timeout: 60_000 }, () => {
  const weak = run('password1', 'create', '--email', 'weak@example.org');
  expect(weak.code).toBe(1);
  expect(weak.stderr).toContain('Password refused: This password is too easy to guess.');
  expect(run('x', 'create').code).toBe(2);
  const role = run('granite-meadow-violin-42', 'create', '--email', 'r@example.org', '--role', 'Admin!');
  expect(role).toEqual({
    code: 1,
    stderr: '--role: "Admin!" is not a role name (lower-case letters, digits, - and _)\n',
  });
});
