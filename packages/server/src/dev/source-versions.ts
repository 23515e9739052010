import { statSync } from 'node:fs';

/**
 * What tells two saves of a file apart without reading it: its modification time, its size (two
 * saves within one tick of the file system's clock) and its inode (an editor that writes a copy and
 * renames it over the original). `absent` for a file that is not on disk (a virtual module).
 */
export function fileVersion(file: string): string {
  try {
    const { mtimeMs, size, ino } = statSync(file);
    return `${mtimeMs}:${size}:${ino}`;
  } catch {
    return 'absent';
  }
}

/** The version of each of the files, as it is on disk now. */
export function versionsOf(files: Iterable<string>): Map<string, string> {
  return new Map([...files].map((file) => [file, fileVersion(file)]));
}

/** The files whose version on disk is not the recorded one (changed, replaced or deleted). */
export function changedSince(recorded: ReadonlyMap<string, string>): string[] {
  return [...recorded].filter(([file, version]) => fileVersion(file) !== version).map(([file]) => file);
}
