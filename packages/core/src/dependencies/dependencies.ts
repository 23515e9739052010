import { createQueryCache, type QueryCache } from '../query/query-cache.js';
import { createMockClock, createSystemClock, type Clock, type MockClock } from './clock.js';

/**
 * The dependencies every store has, as TCA's `@Dependency` values: the live value in apps, a test
 * value in the TestStore. Reducers and effects reach time, identifiers, the network and randomness
 * only through these, so a test controls all four.
 */
export interface Dependencies {
  readonly clock: Clock;
  /** A new RFC 4122 identifier. */
  readonly uuid: () => string;
  readonly fetch: typeof globalThis.fetch;
  /** A number in [0, 1). */
  readonly random: () => number;
  /** The cache behind `Effect.query`, on this store's clock. */
  readonly queries: QueryCache;
}

/** The test values: a mock clock the TestStore drives, and the rest unimplemented. */
export interface TestDependencies extends Dependencies {
  readonly clock: MockClock;
}

/** Thrown by a test dependency that was used without being overridden. */
export class UnimplementedDependencyError extends Error {
  constructor(name: string) {
    super(
      `Unimplemented dependency "${name}" was used in a test. Override it: ` +
        `createTestStore({ dependencies: { ${name}: … } })` +
        (name === 'uuid' ? ' (incrementingUuid() gives predictable ids)' : '') +
        (name === 'random' ? ' (seededRandom(seed) gives a repeatable sequence)' : ''),
    );
    this.name = 'UnimplementedDependencyError';
  }
}

export function liveDependencies(): Dependencies {
  const clock = createSystemClock();
  return {
    clock,
    uuid: () => globalThis.crypto.randomUUID(),
    fetch: (input, init) => globalThis.fetch(input, init),
    random: () => Math.random(),
    queries: createQueryCache({ clock }),
  };
}

/**
 * A function that fails loudly when called. `onUse` hears about every call even when the caller
 * catches the error, so a TestStore can fail the test (like TCA's `unimplemented`).
 */
export function unimplemented<F extends (...args: never[]) => unknown>(
  name: string,
  onUse?: (error: UnimplementedDependencyError) => void,
): F {
  return ((..._args: never[]) => {
    const error = new UnimplementedDependencyError(name);
    onUse?.(error);
    throw error;
  }) as unknown as F;
}

export function testDependencies(onUse?: (error: UnimplementedDependencyError) => void): TestDependencies {
  const clock = createMockClock();
  return {
    clock,
    uuid: unimplemented('uuid', onUse),
    fetch: unimplemented('fetch', onUse),
    random: unimplemented('random', onUse),
    queries: createQueryCache({ clock }),
  };
}

/** The app's own dependencies over the built-in ones: what the reducer receives. */
export function withDefaults<D>(defaults: Dependencies, given: D | undefined): D & Dependencies {
  const merged = { ...defaults, ...(given ?? {}) } as D & Dependencies;
  const own = (given ?? {}) as Partial<Dependencies>;
  // A default cache on another clock than the store's would age its entries by the wrong time.
  if (own.clock !== undefined && own.queries === undefined) {
    return { ...merged, queries: createQueryCache({ clock: merged.clock }) };
  }
  return merged;
}

/** 00000000-0000-4000-8000-000000000000, …001, …002: predictable identifiers for tests. */
export function incrementingUuid(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${(next++).toString(16).padStart(12, '0')}`;
}

/** A repeatable pseudo-random sequence in [0, 1) (mulberry32): the same seed, the same numbers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
