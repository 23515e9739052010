export { createStore } from './store/create-store.js';
export { ReducerResultError, StoreSettleTimeoutError } from './store/errors.js';
export { FrameworkError } from './errors/framework-error.js';
export { ERROR_CODES, ERRORS_DOC, errorDocs } from './errors/error-codes.js';
export type { ErrorCode } from './errors/error-codes.js';
export type { Reducer, Store, StoreConfig, SettledOptions, ProvidedDependencies } from './store/types.js';

export { Effect } from './query/effect-with-query.js';
export type { CancellableOptions, Dispatch, EffectContext, EffectId } from './effect/effect.js';
export type { EffectErrorHandler, EffectErrorInfo } from './effect/runtime.js';

export { createSystemClock, createMockClock } from './dependencies/clock.js';
export type { Clock, MockClock } from './dependencies/clock.js';
export {
  incrementingUuid,
  liveDependencies,
  seededRandom,
  testDependencies,
  unimplemented,
  UnimplementedDependencyError,
} from './dependencies/dependencies.js';
export type { Dependencies, TestDependencies } from './dependencies/dependencies.js';

export { scope, embedded } from './composition/scope.js';
export type { ActionPrism, Embedded, ScopeConfig } from './composition/scope.js';
export { combine, combineReducers } from './composition/combine.js';
export { forEach } from './composition/for-each.js';
export type { ElementId, ElementPrism, ForEachConfig } from './composition/for-each.js';
export { ifLet } from './composition/if-let.js';
export type { IfLetConfig } from './composition/if-let.js';
export { lazyReducer } from './composition/lazy-reducer.js';
export type { LazyReducer } from './composition/lazy-reducer.js';
export type { StateLens, StateSelector } from './composition/lens.js';

export {
  createQueryCache,
  DEFAULT_CACHE_TIME,
  hashQueryKey,
  QueryCache,
  QueryError,
  startsWithKey,
  toQueryError,
} from './query/index.js';
export type {
  CachedQuery,
  Fetcher,
  Json,
  MutationOptions,
  MutationResult,
  QueryErrorKind,
  QueryFreshness,
  QueryKey,
  QueryOptions,
  QueryResult,
  QuerySnapshot,
} from './query/index.js';

export { createTestStore, matchesAction, TestStoreFailure } from './test/test-store.js';
export type { TestStore, TestStoreConfig, ActionMatcher, Expectation, Exhaustivity } from './test/test-store.js';
