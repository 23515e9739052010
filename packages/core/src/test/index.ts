export { createTestStore, matchesAction, TestStoreFailure } from './test-store.js';
export type { TestStore, TestStoreConfig, ActionMatcher, Expectation, Exhaustivity } from './test-store.js';
