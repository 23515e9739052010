import { randomFillSync } from 'node:crypto';

/** Refilled in one call when used up: a trace id costs a slice of it, not a system call. */
const pool = Buffer.alloc(4096);
let offset = pool.length;

/** `bytes` random bytes as lower-case hex, never all zeros (W3C Trace Context forbids those ids). */
export function randomHex(bytes: number): string {
  for (;;) {
    if (offset + bytes > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const start = offset;
    offset += bytes;
    for (let i = start; i < offset; i++) if (pool[i] !== 0) return pool.toString('hex', start, offset);
  }
}
