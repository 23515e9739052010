/**
 * The outbox shared by instances on one PostgreSQL database: an event emitted on one is delivered
 * by whichever instance claims it, once, in order per aggregate; an instance killed mid-delivery
 * (SIGKILL) leaves its claim to expire, and another delivers the event.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open-database.js';
import { createEvents } from '../src/events/create-events.js';
import { eventually, requirePostgresTier } from '@composable-svelte/testing';

const postgres = await requirePostgresTier();
const MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations/events', import.meta.url));
const WORKER = fileURLToPath(new URL('./support/events-worker-process.mjs', import.meta.url));
const eventMap = { 'comment.created': Type.Object({ postId: Type.Integer(), body: Type.String() }) };

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0).reverse()) await dispose();
});

async function sharedDatabase(): Promise<string> {
  const { database, url, dispose } = await postgres!.fresh();
  disposers.push(dispose);
  await migrate(database.db, MIGRATIONS);
  return url!;
}

async function instance(url: string, leaseMs = 60_000) {
  const database = await openDatabase({ url, pool: { max: 4 } });
  const events = createEvents({ database, events: eventMap, pollIntervalMs: 200, leaseMs, retryDelayMs: 50 });
  disposers.push(async () => {
    await events.stop({ timeoutMs: 1000 });
    await database.close();
  });
  return { database, events };
}

describe.skipIf(!postgres)('events across instances on one PostgreSQL', () => {
  it('delivers each event once, by either instance, in order per aggregate', { timeout: 40_000 }, async () => {
    const url = await sharedDatabase();
    const delivered: { by: string; key: string; body: string }[] = [];
    const a = await instance(url);
    const b = await instance(url);
    for (const [name, { events }] of [
      ['a', a],
      ['b', b],
    ] as const) {
      events.on('comment.created', 'record', async (payload, event) => {
        delivered.push({ by: name, key: event.key, body: payload.body });
        await new Promise((resolve) => setTimeout(resolve, 5));
      });
      await events.start();
    }
    const keys = ['post:1', 'post:2', 'post:3', 'post:4'];
    for (let n = 0; n < 40; n++) {
      const key = keys[n % keys.length]!;
      await a.database.db.transaction((tx) =>
        a.events.emit(tx, 'comment.created', { postId: n, body: `${n}` }, { key }),
      );
    }
    expect(await eventually(() => delivered.length >= 40, 20_000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(delivered).toHaveLength(40);
    for (const key of keys) {
      const bodies = delivered.filter((entry) => entry.key === key).map((entry) => Number(entry.body));
      expect(bodies).toEqual([...bodies].sort((x, y) => x - y));
      expect(bodies).toHaveLength(10);
    }
    expect(new Set(delivered.map((entry) => entry.by))).toEqual(new Set(['a', 'b']));
  });

  it(
    'an instance killed mid-delivery: another delivers the event once the claim expires',
    { timeout: 40_000 },
    async () => {
      const url = await sharedDatabase();
      const child = spawn(process.execPath, [WORKER], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      disposers.push(async () => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      const lines: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
      expect(await eventually(() => lines.includes('ready'), 20_000)).toBe(true);

      const survivor = await instance(url, 1500);
      await survivor.database.db.transaction((tx) =>
        survivor.events.emit(tx, 'comment.created', { postId: 7, body: 'mid-crash' }, { key: 'post:7' }),
      );
      expect(await eventually(() => lines.some((line) => line.startsWith('handling ')), 10_000)).toBe(true);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      const delivered: { body: string; attempt: number }[] = [];
      survivor.events.on('comment.created', 'record', (payload, event) => {
        delivered.push({ body: payload.body, attempt: event.attempt });
      });
      await survivor.events.start();
      expect(await eventually(() => delivered.length === 1, 10_000)).toBe(true);
      expect(delivered).toEqual([{ body: 'mid-crash', attempt: 2 }]);
    },
  );
});
