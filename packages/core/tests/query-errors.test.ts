import { describe, expect, it } from 'vitest';
import { createTestStore, QueryError, toQueryError } from '../src/index.js';
import { initialState, post, reducer, type Action, type Deps, type PostsApi, type State } from './query-fixtures.js';

function storeFailingWith(error: unknown, getPost?: PostsApi['getPost']) {
  const api: PostsApi = {
    getPost: getPost ?? (() => Promise.reject(error)),
    rename: () => Promise.resolve(),
  };
  return createTestStore<State, Action, Deps>({ initialState, reducer, dependencies: { api } });
}

describe('typed query failures', () => {
  it('an HTTP status is an http failure with its status; 5xx, 408 and 429 are retryable, other 4xx are not', async () => {
    const cases = [
      { status: 404, retryable: false },
      { status: 503, retryable: true },
      { status: 429, retryable: true },
    ];
    for (const { status, retryable } of cases) {
      const store = storeFailingWith(Object.assign(new Error(`HTTP ${status}`), { status }));
      await store.send({ type: 'open', id: 1 });
      await store.receive(
        { type: 'failed', kind: 'http', status, retryable },
        { failure: { kind: 'http', status, retryable } },
      );
      await store.finish();
    }
  });

  it("fetch's TypeError is a retryable network failure", async () => {
    const store = storeFailingWith(new TypeError('Failed to fetch'));
    await store.send({ type: 'open', id: 1 });
    await store.receive('failed', { failure: { kind: 'network', status: undefined, retryable: true } });
    await store.finish();
  });

  it('a body that is not the JSON expected is a decode failure, not retryable', async () => {
    const store = storeFailingWith(undefined, async () => JSON.parse('<html>') as never);
    await store.send({ type: 'open', id: 1 });
    await store.receive('failed', { failure: { kind: 'decode', status: undefined, retryable: false } });
    await store.finish();
  });

  it('past timeoutMs on the store clock the fetch is aborted and the failure is a timeout', async () => {
    let signal: AbortSignal | undefined;
    const store = storeFailingWith(undefined, (_id, s) => {
      signal = s;
      return new Promise(() => {});
    });
    await store.send({ type: 'open', id: 1 });
    await store.advanceTime(4_999);
    expect(signal?.aborted).toBe(false);
    await store.advanceTime(1);
    expect(signal?.aborted).toBe(true);
    await store.receive('failed', { failure: { kind: 'timeout', status: undefined, retryable: true } });
    await store.finish();
  });

  it('keeps the last good answer in the cache when a revalidation fails', async () => {
    let fail = false;
    const store = storeFailingWith(undefined, async (id) => {
      if (fail) throw Object.assign(new Error('down'), { status: 502 });
      return post(id);
    });
    await store.send({ type: 'open', id: 1 });
    await store.receive('loaded', { posts: { 1: post(1) } });
    fail = true;
    await store.advanceTime(1_000);
    await store.send({ type: 'open', id: 1 });
    await store.receive({ type: 'loaded', post: post(1), cached: true });
    await store.receive('failed', { failure: { kind: 'http', status: 502, retryable: true } });
    await store.finish();
  });

  it('a failure of none of the four kinds is a bug: it reaches onEffectError and fails the TestStore', async () => {
    const store = storeFailingWith(new RangeError('bug in the fetcher'));
    await expect(store.send({ type: 'open', id: 1 })).rejects.toThrow(
      /An effect threw: RangeError: bug in the fetcher/,
    );
  });

  it('toQueryError keeps a QueryError and reads status 0 as no answer at all', () => {
    const error = new QueryError('http', 'Not found', { status: 404 });
    expect(toQueryError(error)).toBe(error);
    expect(toQueryError(Object.assign(new Error('offline'), { status: 0 }))?.kind).toBe('network');
    expect(new QueryError('decode', 'x', { status: 500 }).status).toBeUndefined();
  });
});
