import type { Pool, PoolClient } from 'pg';
import type { Db as BossDb } from 'pg-boss';

const RECONNECT_MS = 1000;

/**
 * pg-boss's `db` option over the app's PostgreSQL pool. `Pool#query` discards a connection whose
 * statement failed, so a failed multi-statement block never hands the next query an aborted
 * transaction. `listen` holds one pooled connection for LISTEN, so a job wakes a worker at once
 * (polling stays the floor); a lost connection is replaced, and pg-boss is told to catch up.
 */
export function poolBossDatabase(pool: Pool): BossDb {
  return {
    executeSql: (text, values) => pool.query(text, values),
    async listen(channel, onNotification, onReconnect) {
      let closed = false;
      let connection: PoolClient | undefined;
      let retry: NodeJS.Timeout | undefined;
      const subscribe = async (): Promise<void> => {
        const client = await pool.connect();
        client.on('notification', (message) => onNotification(message.payload ?? ''));
        client.on('error', (error) => {
          if (connection !== client) return;
          connection = undefined;
          client.release(error);
          if (!closed) retry = setTimeout(() => void subscribe().catch(() => {}), RECONNECT_MS);
        });
        // The channel is pg-boss's own identifier (`pgboss_` and hex), safe to quote as is.
        await client.query(`LISTEN "${channel}"`);
        connection = client;
        onReconnect();
      };
      await subscribe();
      return {
        async close() {
          closed = true;
          clearTimeout(retry);
          const client = connection;
          connection = undefined;
          if (!client) return;
          await client.query(`UNLISTEN "${channel}"`).catch(() => {});
          client.release();
        },
      };
    },
  };
}
