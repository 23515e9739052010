/**
 * `npm run db:migrate` and `npm run db:seed` (the built dist/server/db-cli.js): what start-up does to
 * the database, on demand, with the server's own settings.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/server/db-cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cs-blog-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_DIR: join(dir, 'db') };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  const child = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { code: child.status, stderr: child.stderr };
}

it('migrates, seeds once, and says what it did', { timeout: 120_000 }, () => {
  expect(run('migrate')).toEqual({
    code: 0,
    stderr:
      'applied: 0000_blog_tables, 0001_post_comment_count, 0002_auth_tables, 0003_api_token_tables, 0004_email_token_table, 0005_oauth_accounts_table, 0006_post_authors, 0007_comment_owner_and_moderation, 0008_built_documents, 0009_comment_events\n',
  });
  expect(run('seed')).toEqual({ code: 0, stderr: 'migrations: up to date\nseeded the empty database\n' });
  expect(run('seed')).toEqual({ code: 0, stderr: 'migrations: up to date\nseed: the database already has posts\n' });
});

it('refuses an unknown command with its usage', () => {
  expect(run('drop')).toEqual({ code: 2, stderr: 'usage: db-cli migrate | seed\n' });
});
