/** Account recovery over a fresh database of one tier, mailing .eml files to a temporary inbox. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import formbody from '@fastify/formbody';
import { hash } from '@node-rs/argon2';
import type { Tier } from '@composable-svelte/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AccountEvent } from '../../src/auth/oauth/audit-event.js';
import {
  createAccountRecovery,
  type AccountRecovery,
  type AccountRecoveryOptions,
} from '../../src/auth/reset/account-recovery.js';
import { recoveryRoutes, type RecoveryRoutesOptions } from '../../src/auth/reset/recovery-routes.js';
import { users, type User } from '../../src/auth/schema.js';
import { migrate } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/open-database.js';
import { errorHandler } from '../../src/errors/error-handler.js';
import type { StoredMailSummary } from '../../src/mail/stored-mail.js';
import { createFileMailer } from '../../src/mail/file-mailer.js';
import { rateLimit } from '../../src/security/rate-limit/plugin.js';
import { AUTH_MIGRATIONS } from './auth-oauth.js';

export const PUBLIC_URL = 'https://field-notes.test';

export interface RecoveryHarness {
  readonly database: Database<Record<string, unknown>>;
  readonly recovery: AccountRecovery;
  readonly revoked: number[];
  readonly events: AccountEvent[];
  /** The mails written so far, oldest first. */
  inbox(): StoredMailSummary[];
  /** The token in the newest mail to `to`. */
  tokenMailedTo(to: string): string;
  addUser(values: Partial<User> & { email: string }): Promise<User>;
  /** The routes on a bare Fastify app with the server's error handler and rate limiter. */
  app(options?: Omit<RecoveryRoutesOptions, 'recovery'>): Promise<FastifyInstance>;
}

export async function recoveryHarness(
  tier: Tier,
  disposers: (() => Promise<void>)[],
  options: Partial<AccountRecoveryOptions> = {},
): Promise<RecoveryHarness> {
  const { database, dispose } = await tier.fresh();
  disposers.push(dispose);
  await migrate(database.db, AUTH_MIGRATIONS);
  const root = mkdtempSync(join(tmpdir(), 'cs-recovery-'));
  disposers.push(async () => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'mail');
  const revoked: number[] = [];
  const events: AccountEvent[] = [];
  const recovery = createAccountRecovery({
    db: database.db,
    mailer: createFileMailer({ dir, from: 'no-reply@field-notes.test' }),
    publicUrl: PUBLIC_URL,
    siteName: 'Field Notes',
    hashPassword: (password) => hash(password),
    revokeAllSessions: async (userId) => {
      revoked.push(userId);
    },
    audit: (event) => events.push(event),
    ...options,
  });
  disposers.unshift(() => recovery.close());

  function inbox(): StoredMailSummary[] {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as StoredMailSummary);
  }

  return {
    database,
    recovery,
    revoked,
    events,
    inbox,
    tokenMailedTo(to) {
      const mail = inbox()
        .filter((entry) => entry.to === to)
        .at(-1);
      const token = /\?token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
      if (!token) throw new Error(`no mail with a token to ${to}`);
      return token;
    },
    async addUser(values) {
      const [user] = await database.db
        .insert(users)
        .values({ name: 'Reader', ...values })
        .returning();
      return user!;
    },
    async app(routeOptions = {}) {
      const app = Fastify();
      await app.register(errorHandler, { production: true });
      await app.register(formbody);
      await app.register(rateLimit, { max: 1000, windowMs: 60_000 });
      await app.register(recoveryRoutes, { recovery, ...routeOptions });
      disposers.unshift(() => app.close());
      return app;
    },
  };
}
