import { createTestStore } from '@composable-svelte/core';
import { describe, expect, it } from 'vitest';
import { numberFact } from '../src/shared/facts.js';
import { reducer } from '../src/shared/reducer.js';
import { initialState, type AppAction, type AppDependencies, type AppState } from '../src/shared/state.js';

function storeWith(facts: AppDependencies['facts']) {
  return createTestStore<AppState, AppAction, AppDependencies>({
    initialState: initialState({ kind: 'home' }, 'Hello'),
    reducer,
    dependencies: { facts },
  });
}

describe('the counter', () => {
  it('counts, then loads a fact about the count through its effect', async () => {
    const store = storeWith(async (n) => numberFact(n));
    await store.send({ type: 'incremented' }, { count: 1 });
    await store.send({ type: 'incremented' }, { count: 2 });
    await store.send({ type: 'factRequested' }, { loadingFact: true });
    await store.receive(
      { type: 'factLoaded', fact: '2 is even and prime.' },
      { fact: '2 is even and prime.', loadingFact: false },
    );
    await store.finish();
  });

  it('shows why a fact could not be loaded', async () => {
    const store = storeWith(async () => {
      throw new Error('The server answered 503');
    });
    await store.send({ type: 'factRequested' }, { loadingFact: true });
    await store.receive('factFailed', { factError: 'The server answered 503', loadingFact: false });
    await store.finish();
  });

  it('drops the fact being loaded when the count changes', async () => {
    let asked: AbortSignal | undefined;
    const store = storeWith(
      (_n, signal) =>
        new Promise((_resolve, reject) => {
          asked = signal;
          signal.addEventListener('abort', () => reject(new Error('aborted')));
        }),
    );
    await store.send({ type: 'factRequested' }, { loadingFact: true });
    await store.send({ type: 'incremented' }, { count: 1, loadingFact: false });
    expect(asked?.aborted).toBe(true);
    await store.finish();
  });
});

describe('numberFact', () => {
  it('says what is true of a number', () => {
    expect(numberFact(9)).toBe('9 is odd and the square of 3.');
    expect(numberFact(7)).toBe('7 is odd and prime.');
  });
});
