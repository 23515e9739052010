// `npm run user:create -w examples/blog -- --email ada@example.org --name Ada --role admin` (after a
// build): makes an account, e.g. the first admin — there are no default credentials anywhere. The
// password is read from standard input (typed, or piped), never from the command line, where
// it would stay in the shell history and the process list.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadServerConfig, readEnvFile } from '@composable-svelte/server/config';
import { databaseOptions, migrate, MigrationError, openDatabase } from '@composable-svelte/server/db';
import { checkPasswordStrength, hashPassword, users } from '@composable-svelte/server/auth';
import { sql } from 'drizzle-orm';
import { MIGRATIONS } from './paths.js';
import { blogSchema } from './schema.js';

const usage = 'usage: user-cli create --email <address> [--name <name>] [--role <role>]… (password on stdin)';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', multiple: true } },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n${usage}`, 2);
  }
})();
if (positionals[0] !== 'create' || !values.email) fail(usage, 2);
const email = values.email.trim();
if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`--email: "${email}" is not an e-mail address`);
const name = (values.name ?? email.split('@')[0]!).trim();
const roles = [...new Set(values.role ?? [])].sort();
const badRole = roles.find((role) => !/^[a-z][a-z0-9_-]{0,31}$/.test(role));
if (badRole !== undefined) fail(`--role: "${badRole}" is not a role name (lower-case letters, digits, - and _)`);

class Refused extends Error {}

async function readPassword(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  if (process.stdin.isTTY) process.stderr.write('Password (shown as you type): ');
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

try {
  const config = loadServerConfig({ ...readEnvFile('.env'), ...process.env });
  const password = await readPassword();
  const strength = checkPasswordStrength(password, {
    minScore: config.auth.passwordMinScore,
    userInputs: [email, name],
  });
  if (!strength.ok) fail(`Password refused: ${strength.problems.join(' ')}`);
  const database = await openDatabase({ ...databaseOptions(config), schema: blogSchema });
  try {
    await migrate(database.db, MIGRATIONS);
    const [existing] = await database.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
    // Thrown, not exited: the embedded database must be closed cleanly first.
    if (existing)
      throw new Refused(`An account with ${email} already exists (id ${existing.id}); nothing was changed.`);
    const [created] = await database.db
      .insert(users)
      .values({ email, name, roles, passwordHash: await hashPassword(password, config.auth.argon2) })
      .returning({ id: users.id });
    console.error(`created user ${created!.id} <${email}>${roles.length ? ` with roles ${roles.join(', ')}` : ''}`);
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError || error instanceof Refused) fail(error.message);
  throw error;
}
