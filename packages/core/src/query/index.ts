export { createQueryCache, DEFAULT_CACHE_TIME, QueryCache } from './query-cache.js';
export type { CachedQuery, QueryFreshness, QuerySnapshot } from './query-cache.js';
export { QueryError, toQueryError } from './query-error.js';
export type { QueryErrorKind } from './query-error.js';
export { hashQueryKey, startsWithKey } from './query-key.js';
export type { Json, QueryKey } from './query-key.js';
export { mutate, query } from './query-effects.js';
export type { MutationOptions, MutationResult, QueryOptions, QueryResult } from './query-effects.js';
export type { Fetcher } from './attempt.js';
