/**
 * A rendered public page as the cache keeps it: the HTML's UTF-8 bytes and its br/gzip variants,
 * each made once. Bytes, not a string: a hit then writes them as they are, where a string would be
 * measured and encoded again on every response.
 */
export interface PageEntry {
  readonly body: Buffer;
  readonly br: Buffer;
  readonly gzip: Buffer;
  /** Strong validator of the identity body; encoded variants add -br / -gz. */
  readonly etag: string;
  /** HTTP date of the render, for Last-Modified / If-Modified-Since. */
  readonly lastModified: string;
  readonly createdAt: number;
  /** Until then the entry is served as is. */
  readonly freshUntil: number;
  /** Until then the entry is served at once while a background render refreshes it. */
  readonly staleUntil: number;
  readonly tags: readonly string[];
}

/** Where entries live: memory (one process) or Redis (shared by every instance). */
export interface PageCacheStore {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<PageEntry | undefined>;
  /**
   * The entry held in this process's memory, found without waiting (stores that keep entries
   * elsewhere do not have it): what lets a hit be answered before any asynchronous step.
   */
  peek?(key: string): PageEntry | undefined;
  /**
   * Stores the entry; with `ifGeneration`, only while no invalidation has happened since that
   * generation was read (on any instance sharing the store). Resolves whether it was stored.
   */
  set(key: string, entry: PageEntry, ifGeneration?: number): Promise<boolean>;
  deleteKey(key: string): Promise<boolean>;
  /** Deletes every entry carrying the tag; resolves with how many went. */
  deleteTag(tag: string): Promise<number>;
  /** Moves on with every deleteKey/deleteTag, so a render can tell it overlapped one. */
  generation(): Promise<number>;
}

export function entrySize(entry: PageEntry): number {
  return entry.body.length + entry.br.length + entry.gzip.length + 256;
}
