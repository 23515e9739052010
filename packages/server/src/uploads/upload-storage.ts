import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Where uploaded files live. The local directory is the default; object storage implements the
 * same three calls. `put` is all or nothing: when the source fails (client gone, limit hit) no
 * object is left under `key`.
 */
export interface UploadStorage {
  put(key: string, source: Readable): Promise<{ bytes: number }>;
  get(key: string): Promise<{ stream: Readable; bytes: number } | undefined>;
  delete(key: string): Promise<void>;
}

/**
 * Files in one directory. A file is written under a temporary name and renamed once complete, so
 * a reader never sees half a file and a failed upload leaves nothing behind.
 */
export function localUploadStorage(directory: string): UploadStorage {
  let ready: Promise<unknown> | undefined;
  const path = (key: string) => join(directory, key);
  return {
    async put(key, source) {
      ready ??= mkdir(directory, { recursive: true });
      await ready;
      const partial = path(`.partial-${key}`);
      try {
        await pipeline(source, createWriteStream(partial, { flags: 'wx' }));
        await rename(partial, path(key));
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { bytes: (await stat(path(key))).size };
    },
    async get(key) {
      try {
        const { size } = await stat(path(key));
        return { stream: createReadStream(path(key)), bytes: size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async delete(key) {
      await rm(path(key), { force: true });
    },
  };
}
