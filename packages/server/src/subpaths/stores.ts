export { createRedisClient } from '../stores/redis-client.js';
export { redisReady } from '../stores/redis-ready.js';
export type { RedisClientOptions, RedisLogger } from '../stores/redis-client.js';
export { createPostgresPool } from '../stores/postgres-pool.js';
export type { PostgresPool, PostgresPoolOptions } from '../stores/postgres-pool.js';
export { backends } from '../server/backends.js';
