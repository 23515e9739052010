export { openDatabase } from './open-database.js';
export type { Database, Db, OpenDatabaseOptions } from './open-database.js';
export { migrate, MigrationError } from './migrate.js';
export type { MigrateResult } from './migrate.js';
export { transaction, isRetryableTransactionError } from './transaction.js';
export type { TransactionOptions } from './transaction.js';
export { databasePlugin } from './database-plugin.js';
export type { DatabasePluginOptions } from './database-plugin.js';
