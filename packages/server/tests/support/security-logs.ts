import fs from 'node:fs';
import { vi } from 'vitest';

export interface LogCapture {
  /** Every line written so far. */
  lines(): string[];
  /** Waits (a little: pino's stdout writer is asynchronous) for a line containing `needle`. */
  waitFor(needle: string, timeoutMs?: number): Promise<string | undefined>;
  restore(): void;
}

/**
 * Records what the server's logger writes. createServer offers no log destination, and pino's
 * default destination (sonic-boom on stdout) writes through fs.write / fs.writeSync, so those are
 * observed; the spies call through, so the lines still reach stdout.
 */
export function captureLogLines(): LogCapture {
  const spies = [vi.spyOn(fs, 'write'), vi.spyOn(fs, 'writeSync')];
  const text = (data: unknown) =>
    typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  const lines = () =>
    spies
      .flatMap((spy) => spy.mock.calls.map((call) => text(call[1])))
      .join('')
      .split('\n')
      .filter(Boolean);
  return {
    lines,
    async waitFor(needle, timeoutMs = 1000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = lines().find((l) => l.includes(needle));
        if (line || Date.now() > deadline) return line;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
