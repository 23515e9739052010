/**
 * The embedded database runs statements on the server's own thread. Queued statements must not run
 * back to back in one event-loop turn, or sockets (a new connection's accept among them) wait for
 * the whole backlog.
 */
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/open-database.js';

describe('statements on the embedded database', () => {
  let database: Database;
  let client: PGlite;

  beforeAll(async () => {
    database = await openDatabase({});
    client = (database.db as unknown as { $client: PGlite }).$client;
    await database.db.execute(sql.raw('create table notes (id integer primary key, body text not null)'));
  });
  afterAll(() => database.close());

  it('each start in a turn of their own, so other callbacks run between queued statements', async () => {
    const order: string[] = [];
    const statements = [1, 2, 3, 4, 5].map((n) =>
      database.db.execute(sql`select ${n}::int as n`).then(() => order.push(`statement ${n}`)),
    );
    const otherWork = new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push('other work');
        resolve();
      }),
    );
    await Promise.all([...statements, otherWork]);
    expect(order.indexOf('other work')).toBeLessThan(order.indexOf('statement 2'));
    expect(order.filter((entry) => entry.startsWith('statement'))).toEqual(
      [1, 2, 3, 4, 5].map((n) => `statement ${n}`),
    );
  });

  it('keeps transactions, exec and raw queries working, with their errors', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into notes values (1, 'first')`);
      await tx.execute(sql`insert into notes values (2, 'second')`);
    });
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into notes values (3, 'rolled back')`);
        await tx.execute(sql`insert into notes values (1, 'duplicate')`);
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/duplicate key/) } });
    await client.exec(`insert into notes values (4, 'by exec')`);
    const { rows } = await client.query<{ id: number }>('select id from notes order by id');
    expect(rows.map((row) => row.id)).toEqual([1, 2, 4]);
    await expect(client.query('select * from missing_table')).rejects.toThrow(/missing_table/);
  });
});
