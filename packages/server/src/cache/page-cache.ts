import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { strongEtag } from '../http/representation.js';
import type { PageCacheStore, PageEntry } from './page-entry.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** What a render produced, and whether it may be shared with other visitors. */
export interface RenderedPage {
  readonly status: number;
  readonly html: string;
  /** 200, no cookie set, not marked private: identical bytes for everyone. */
  readonly cacheable: boolean;
  readonly tags: readonly string[];
}

export type PageCacheEvent = 'hit' | 'miss' | 'stale' | 'refresh' | 'store' | 'shared' | 'invalidate' | 'error';

export interface PageCacheOptions {
  readonly store: PageCacheStore;
  readonly ttlMs: number;
  readonly staleMs: number;
  readonly brotliQuality: number;
  readonly now?: () => number;
  readonly onEvent?: (event: PageCacheEvent, count?: number) => void;
  readonly onError?: (error: unknown, operation: string) => void;
}

export interface PageCache {
  readonly store: PageCacheStore;
  /** A servable entry and whether it is still fresh; store failures read as a miss. */
  lookup(key: string): Promise<{ entry: PageEntry; state: 'fresh' | 'stale' } | undefined>;
  /**
   * Whether `entry` is still the fresh entry for the key, answered without waiting, and counted as
   * a hit when it is; false whenever that cannot be known at once (a shared store).
   */
  isFresh(key: string, entry: PageEntry): boolean;
  /**
   * Renders once for every concurrent caller of the same key (single flight); a cacheable result
   * is stored. `leader` tells the caller whether its own render produced the page.
   */
  render(
    key: string,
    produce: () => Promise<RenderedPage>,
  ): Promise<{ page: RenderedPage; entry?: PageEntry; leader: boolean }>;
  /** Re-renders a stale key in the background, at most once at a time per key. */
  refresh(key: string, produce: () => Promise<RenderedPage>): void;
  invalidate(target: { key: string } | { tag: string }): Promise<number>;
}

export function createPageCache(options: PageCacheOptions): PageCache {
  const { store } = options;
  const now = options.now ?? Date.now;
  const emit = options.onEvent ?? (() => {});
  const fail = (error: unknown, operation: string) => {
    emit('error');
    options.onError?.(error, operation);
  };
  const inflight = new Map<string, Promise<{ page: RenderedPage; entry?: PageEntry }>>();

  const toEntry = async (page: RenderedPage): Promise<PageEntry> => {
    const body = Buffer.from(page.html, 'utf8');
    const [br, gz] = await Promise.all([
      brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: options.brotliQuality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        },
      }),
      gzipAsync(body, { level: 6 }),
    ]);
    const createdAt = now();
    return {
      body,
      br,
      gzip: gz,
      etag: strongEtag(body),
      lastModified: new Date(createdAt).toUTCString(),
      createdAt,
      freshUntil: createdAt + options.ttlMs,
      staleUntil: createdAt + options.ttlMs + options.staleMs,
      tags: page.tags,
    };
  };

  const run = (key: string, produce: () => Promise<RenderedPage>, refreshing = false) => {
    const running = inflight.get(key);
    if (running) return { promise: running, leader: false };
    const promise = (async () => {
      // Read before the render reads any data: a render that overlaps an invalidation (here or on
      // another instance sharing the store) may have read what it was about, so it is not stored.
      // Unknown (store down) also means not stored.
      const startedIn = await store.generation().catch((error: unknown) => fail(error, 'generation'));
      const page = await produce();
      if (!page.cacheable || options.ttlMs + options.staleMs === 0 || startedIn === undefined) {
        // A stale page whose refresh is now a 404/410/private must stop being served.
        if (refreshing) await store.deleteKey(key).catch((error: unknown) => fail(error, 'delete'));
        return { page };
      }
      const entry = await toEntry(page);
      try {
        if (await store.set(key, entry, startedIn)) {
          emit('store');
          return { page, entry };
        }
        // Not stored (too large, or overtaken by an invalidation): requests that joined this render
        // may share its page only if no write was invalidated since it started; otherwise a
        // request that arrived after the write's answer would be served what came before it.
        if ((await store.generation()) === startedIn) return { page, entry };
      } catch (error) {
        fail(error, 'store');
      }
      return { page };
    })();
    inflight.set(key, promise);
    const clear = () => {
      if (inflight.get(key) === promise) inflight.delete(key);
    };
    promise.then(clear, clear);
    return { promise, leader: true };
  };

  return {
    store,
    async lookup(key) {
      let entry: PageEntry | undefined;
      try {
        entry = await store.get(key);
      } catch (error) {
        fail(error, 'get');
        return undefined;
      }
      if (!entry) {
        emit('miss');
        return undefined;
      }
      const fresh = entry.freshUntil > now();
      emit(fresh ? 'hit' : 'stale');
      return { entry, state: fresh ? 'fresh' : 'stale' };
    },
    isFresh(key, entry) {
      if (store.peek?.(key) !== entry || entry.freshUntil <= now()) return false;
      emit('hit');
      return true;
    },
    async render(key, produce) {
      const { promise, leader } = run(key, produce);
      if (!leader) emit('shared');
      return { ...(await promise), leader };
    },
    refresh(key, produce) {
      if (inflight.has(key)) return;
      emit('refresh');
      run(key, produce, true).promise.catch((error: unknown) => fail(error, 'refresh'));
    },
    async invalidate(target) {
      const count = 'key' in target ? ((await store.deleteKey(target.key)) ? 1 : 0) : await store.deleteTag(target.tag);
      emit('invalidate', count);
      return count;
    },
  };
}
